"""Layouts of the mediation pack: M01 调解申请登记表, M02 调解笔录, M03 调解协议书."""

from __future__ import annotations

from collections.abc import Sequence

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.closing import Signer, dated, note, seal, sign_lines
from doc_templates.authoring.style import SIZE_FORM, B, Block, Loop

INITIALS_LINE = "各方当事人逐页签名：＿＿＿＿＿＿　＿＿＿＿＿＿"
LABEL_MM, VALUE_MM, VALUE2_MM = 30, 50, 46


def _officers(expr: str) -> list[Loop]:
    return [Loop(expr, ["{{ o.name }}", "（执法证号：", "{{ o.cert_no }}", "）"])]


Row = Sequence[str | Sequence[Block]]


def _parties_rows() -> list[Row]:
    """当事人 (the case's party) and the other party, three rows each; each name on a row of
    its own (a name may be long). Rows ``PARTY_MERGES`` of these span the value columns."""
    return [
        [[[B("当事人")]], "{{ party.name }}", "", ""],
        [
            [[B("证件号码")]],
            "{{ party.id_code }}",
            [[B("法定代表人")]],
            "{{ party.representative }}",
        ],
        [[[B("住所地")]], "{{ party.address }}", [[B("联系电话")]], "{{ party.phone }}"],
        [[[B("对方当事人")]], "{{ data.other_party.name }}", "", ""],
        [
            [[B("证件号码")]],
            "{{ data.other_party.id_code }}",
            [[B("联系电话")]],
            "{{ data.other_party.phone }}",
        ],
        [[[B("住所地")]], "{{ data.other_party.address }}", "", ""],
    ]


PARTY_MERGES = (0, 3, 5)


def _merges(spans: tuple[int, ...], parties_at: int) -> list[tuple[int, int, int]]:
    """Value columns joined on the rows ``spans`` and the party rows starting at ``parties_at``."""
    rows = sorted({*spans, *(parties_at + r for r in PARTY_MERGES)})
    return [(r, 1, 3) for r in rows]


def mediation_application(doc: TemplateDoc) -> None:
    """M01 调解申请登记表: a form, signed by the applicant and the handlers, dated."""
    doc.heading()
    doc.table(
        [LABEL_MM, VALUE_MM, LABEL_MM, VALUE2_MM],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", [[B("启动方式")]], "{{ data.started_by }}"],
            [
                [[B("申请人")]],
                "{{ data.applicant }}",
                [[B("申请日期")]],
                "{{ data.applied_on | cn_date }}",
            ],
            *_parties_rows(),
            [[[B("纠纷概要")]], "{{ case.cause }}", "", ""],
        ],
        merge=_merges((8,), 2),
        size=SIZE_FORM,
    )
    doc.section_title("一、纠纷事项")
    doc.para("{{ data.dispute }}")
    doc.section_title("二、调解请求")
    doc.para("{{ data.request }}")
    doc.section_title("三、当事人意愿")
    doc.para(
        "{% if data.consent %}经征询，各方当事人均同意接受本机关行政调解。{% endif %}",
    )
    doc.section_title("四、受理意见")
    doc.para("{{ data.acceptance_opinion }}")
    doc.para("受理日期：", "{{ data.accepted_on | cn_date }}", "。")
    doc.section_title("五、调解安排")
    doc.para("调解时间：", "{{ data.session_at | cn_datetime }}")
    doc.para("调解地点：", "{{ data.session_place }}")
    doc.para("承办人员：", "{{ data.handlers | officers }}")
    doc.para("告知事项：", "{{ data.notes }}")
    sign_lines(
        doc,
        [
            Signer("申请人", ["{{ data.applicant }}"]),
            Signer("承办人", ["{{ o.name }}"], loop="o in data.handlers"),
        ],
    )
    dated(doc)


def mediation_record(doc: TemplateDoc) -> None:
    """M02 调解笔录: every attendee, each mediator and the recorder sign."""
    doc.heading()
    doc.table(
        [LABEL_MM, VALUE_MM, LABEL_MM, VALUE2_MM],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", "", ""],
            [
                [[B("调解时间")]],
                [["{{ data.started_at | cn_datetime }}", "至", "{{ data.ended_at | cn_time }}"]],
                "",
                "",
            ],
            [[[B("调解地点")]], "{{ data.place }}", "", ""],
            [[[B("调解人员")]], _officers("o in data.mediators"), "", ""],
            [[[B("记录人")]], "{{ data.recorder }}", "", ""],
            *_parties_rows(),
        ],
        merge=_merges((0, 1, 2, 3, 4), 5),
        size=SIZE_FORM,
    )
    doc.table(
        [14, 80, 62],
        ["序号", "参加人员", "身份或职务"],
        [["{{ loop.index }}", "{{ a.name }}", "{{ a.role }}"]],
        loop="a in data.attendees + data.invited",
    )
    doc.para(
        "{% if data.rights_informed %}调解人员已出示行政执法证件，告知各方当事人依法享有的"
        "权利、应当遵循的程序和注意事项，各方当事人表示清楚。{% endif %}",
    )
    doc.section_title("一、当事人陈述")
    doc.para("{{ data.party_statement }}")
    doc.section_title("二、对方当事人陈述")
    doc.para("{{ data.other_statement }}")
    doc.section_title("三、查明的事实")
    doc.para("{{ data.facts }}")
    doc.section_title("四、争议焦点")
    doc.loop("f in data.focus", "{{ loop.index }}", "．", "{{ f }}")
    doc.section_title("五、调解过程")
    doc.para("{{ data.mediation }}")
    doc.section_title("六、调解结果")
    doc.para("{{ data.outcome }}", "。", "{{ data.outcome_note }}")
    doc.para("以上笔录已向各方当事人宣读（或交其阅读），经核对无误。")
    sign_lines(
        doc,
        [
            Signer("参加人员", ["{{ a.name }}"], loop="a in data.attendees"),
            Signer("邀请参加人员", ["{{ a.name }}"], loop="a in data.invited"),
            Signer("调解人员", ["{{ o.name }}"], loop="o in data.mediators"),
            Signer("记录人", ["{{ data.recorder }}"]),
        ],
    )


def mediation_agreement(doc: TemplateDoc) -> None:
    """M03 调解协议书: signed or sealed by every party, sealed by the agency."""
    doc.heading()
    doc.table(
        [LABEL_MM, VALUE_MM, LABEL_MM, VALUE2_MM],
        None,
        [[[[B("案号")]], "{{ case.case_no }}", "", ""], *_parties_rows()],
        merge=_merges((0,), 1),
        size=SIZE_FORM,
    )
    doc.para(
        "调解事项：",
        "{{ data.matter }}",
        "。本机关调解人员",
        "{{ data.mediators | names }}",
        "主持调解，各方当事人在自愿、平等的基础上，于",
        "{{ data.agreed_on | cn_date }}",
        "达成如下协议：",
    )
    doc.section_title("一、查证的事实")
    doc.para("{{ data.facts }}")
    doc.section_title("二、协议内容")
    doc.loop("t in data.terms", "{{ loop.index }}", "．", "{{ t }}")
    doc.section_title("三、履行方式和期限")
    doc.para("{{ data.performance }}")
    doc.para(
        "本协议经各方当事人签名或者盖章、本机关加盖印章后生效，各方应当自觉履行。本协议书一式",
        "{{ data.copies }}",
        "份，各方当事人各执一份，本机关存档一份。",
    )
    note(
        doc, "当事人为自然人的，由本人签名；为单位的，由法定代表人或委托代理人签名并加盖单位印章。"
    )
    # A party's name may be long: it has a line of its own, the signature the line after it.
    for label, name in (
        ("当事人", "{{ party.name }}"),
        ("对方当事人", "{{ data.other_party.name }}"),
    ):
        doc.para(f"{label}：", name, indent=False, keep=True)
        sign_lines(doc, [Signer("签名人")])
    sign_lines(doc, [Signer("调解人员", ["{{ o.name }}"], loop="o in data.mediators")])
    seal(doc)
