"""Layouts of the implementation documents 04–07."""

from __future__ import annotations

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.closing import Signer, dated, note, seal, sign_lines
from doc_templates.authoring.common import (
    letter_opening,
    officers_cell,
    party_table,
    rectification_table,
)
from doc_templates.authoring.style import SIZE_FORM, B, Loop


def interview_notice(doc: TemplateDoc) -> None:
    """04 行政约谈通知书."""
    doc.heading()
    letter_opening(doc)
    doc.para(
        "经查，你（单位）",
        "{{ case.cause }}",
        "。根据",
        "{{ data.legal_basis | join('、') }}",
        "的规定，本机关决定对你（单位）进行行政约谈。现将有关事项通知如下：",
    )
    doc.para("一、约谈时间：", "{{ data.interview_time | cn_datetime }}")
    doc.para("二、约谈地点：", "{{ data.place }}")
    doc.para("三、约谈人员：", "{{ data.interviewers | officers }}")
    doc.para("四、参加人员：", "{{ data.attendee_requirement }}")
    doc.para("五、请携带以下材料：")
    doc.loop("m in data.materials", "（", "{{ loop.index }}", "）", "{{ m }}")
    doc.para(
        "六、联系人：", "{{ data.contact_person }}", "，联系电话：", "{{ data.contact_phone }}"
    )
    doc.para("七、", "{{ data.refusal_consequences }}")
    doc.para("本通知书以", "{{ data.service_method }}", "方式送达。")
    seal(doc)


def service_proof(doc: TemplateDoc) -> None:
    """05 送达回证: the recipient signs on a blank line, servers and witnesses on their own."""
    doc.heading()
    label, value = 30, 48
    doc.table(
        [label, value, label, value],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", "", ""],
            [[[B("案由")]], "{{ case.cause }}", "", ""],
            [[[B("当事人")]], "{{ party.name }}", "", ""],
            [[[B("受送达人")]], "{{ data.recipient or party.name }}", "", ""],
            [[[B("送达地点")]], "{{ data.place }}", "", ""],
            [[[B("送达方式")]], "{{ data.method }}", "", ""],
            [
                [[B("送达人")]],
                [
                    Loop(
                        "s in data.servers",
                        ["{{ s.name }}", "（执法证号：", "{{ s.cert_no }}", "）"],
                    )
                ],
                "",
                "",
            ],
        ],
        merge=[(r, 1, 3) for r in range(7)],
        size=SIZE_FORM,
    )
    doc.table(
        [14, 76, 46, 20],
        ["序号", "送达文书名称", "文号", "份数"],
        [["{{ loop.index }}", "{{ d.title }}", "{{ d.doc_no }}", "{{ d.copies }}"]],
        loop="d in data.documents",
    )
    doc.para("受送达人收到上列文书后，请在下方签名并写明签收时间。")
    sign_lines(
        doc,
        [
            Signer("受送达人", ["{{ data.recipient or party.name }}"], date=()),
        ],
    )
    doc.para(
        "签收时间：",
        "{% if data.receipt %}{{ data.receipt.signed_at | cn_datetime }}{% else %}",
        "　　年　　月　　日　　时　　分{% endif %}",
        indent=False,
        align="right",
        keep=True,
    )
    sign_lines(doc, [Signer("送达人", ["{{ s.name }}"], loop="s in data.servers")])
    note(doc, "受送达人拒绝签收。", "{{ data.refusal_note }}", when="data.refused")
    note(doc, "拒收事由和日期：", when="not data.refused")
    sign_lines(
        doc,
        [
            Signer(
                "见证人",
                ["{{ w.name }}", "（", "{{ w.role }}", "）"],
                loop="w in data.witnesses",
                when="data.refused",
            ),
            Signer("见证人", ["（身份：　　　）"], loop="_ in range(2)", when="not data.refused"),
        ],
    )
    note(
        doc,
        "说明：受送达人拒绝签收的，送达人应当在本回证上记明拒收事由和日期，由送达人、"
        "见证人签名或者盖章，将文书留在受送达人的住所，视为送达。",
    )
    seal(doc)


def interview_outline(doc: TemplateDoc) -> None:
    """06 约谈提纲."""
    doc.heading()
    party_table(doc)
    doc.para("约谈时间：", "{{ data.interview_time | cn_datetime }}", indent=False)
    doc.para("约谈地点：", "{{ data.place }}", indent=False)
    doc.para("约谈人员：", "{{ data.interviewers | officers }}", indent=False)
    doc.section_title("一、约谈目的")
    doc.para("{{ data.purpose }}")
    doc.section_title("二、法律依据")
    doc.loop("b in data.legal_basis", "{{ loop.index }}", "．", "{{ b }}")
    doc.section_title("三、约谈要点")
    doc.loop("t in data.topics", "{{ loop.index }}", "．", "{{ t }}")
    doc.section_title("四、拟询问问题")
    doc.loop("q in data.questions", "{{ loop.index }}", "．", "{{ q }}")
    doc.section_title("五、拟提出的整改要求")
    doc.loop("r in data.requirements", "{{ loop.index }}", "．", "{{ r }}", tail=True)
    dated(doc)


def interview_record(doc: TemplateDoc) -> None:
    """07 行政约谈记录."""
    doc.heading()
    doc.table(
        [30, 50, 30, 46],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", "", ""],
            [[[B("约谈事由")]], "{{ case.cause }}", "", ""],
            [
                [[B("约谈时间")]],
                [["{{ data.started_at | cn_datetime }}", "至", "{{ data.ended_at | cn_time }}"]],
                "",
                "",
            ],
            [[[B("约谈地点")]], "{{ data.place }}", "", ""],
            [[[B("约谈人员")]], officers_cell(), "", ""],
            [[[B("被约谈单位")]], "{{ party.name }}", "", ""],
            [[[B("法定代表人")]], "{{ party.representative }}", "", ""],
            [[[B("记录人")]], "{{ data.recorder }}", "", ""],
        ],
        merge=[(r, 1, 3) for r in range(8)],
        size=SIZE_FORM,
    )
    doc.table(
        [14, 80, 62],
        ["序号", "被约谈方参加人员", "身份或职务"],
        [["{{ loop.index }}", "{{ a.name }}", "{{ a.role }}"]],
        loop="a in data.attendees",
    )
    doc.para(
        "{% if data.certificates_shown %}约谈人员已向被约谈方出示行政执法证件{% endif %}",
        "{% if data.rights_informed %}，并告知其依法享有陈述、申辩的权利{% endif %}",
        "。",
    )
    doc.section_title("一、违法事实")
    doc.para("{{ data.facts }}")
    doc.para("违反的规定：", "{{ data.provisions | join('；') }}", "。")
    doc.para("证据：", "{{ data.evidence | join('；') }}", "。")
    doc.section_title("二、约谈要点")
    doc.loop("d in data.discussion", "{{ loop.index }}", "．", "{{ d }}")
    doc.section_title("三、当事人陈述申辩")
    doc.para("{{ data.party_statement }}")
    doc.section_title("四、整改要求")
    doc.para(
        "整改期限为", "{{ data.period_days }}", "日（自约谈之日起计算），整改事项及验收标准如下："
    )
    rectification_table(doc)
    doc.section_title("五、当事人承诺")
    doc.para("{{ data.commitment }}")
    doc.para("以上记录已向被约谈方宣读（或交其阅读），经核对无误。")
    note(doc, "被约谈方拒绝签名，由下列见证人在场见证。", when="data.refused_to_sign")
    sign_lines(
        doc,
        [
            Signer(
                "被约谈方",
                ["{{ a.name }}"],
                loop="a in data.attendees",
                when="not data.refused_to_sign",
            ),
            Signer(
                "见证人",
                ["{{ w.name }}", "（", "{{ w.role }}", "）"],
                loop="w in data.refusal_witnesses",
                when="data.refused_to_sign",
            ),
            Signer("约谈人", ["{{ o.name }}"], loop="o in data.interviewers"),
            Signer("记录人", ["{{ data.recorder }}"]),
        ],
    )
