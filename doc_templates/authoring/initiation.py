"""Layouts of the initiation documents 01–03."""

from __future__ import annotations

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.closing import Signer, dated, sign_lines
from doc_templates.authoring.common import evidence_table, party_table
from doc_templates.authoring.style import SIZE_FORM, B, If, Loop, Part, Space

EXCLUSIONS = (
    "经核查，本案不存在违法行为情节严重需立即采取强制措施、曾因同类违法行为被处罚或约谈后"
    "再次违法、明确拒绝或无正当理由拒不参加约谈、法律法规规定必须直接予以处罚等排除情形。"
)


def clue_report(doc: TemplateDoc) -> None:
    """01 约谈线索核实报告."""
    doc.heading()
    party_table(doc)
    doc.section_title("一、线索来源及核实情况")
    doc.para(
        "本案线索来源：",
        "{{ data.source }}",
        "。本机关于",
        "{{ data.clue_received_on | cn_date }}",
        "接收线索，于",
        "{{ data.verified_on | cn_date }}",
        "完成核实。线索反映：",
        "{{ data.clue_summary }}",
    )
    doc.section_title("二、核实查明的事实")
    doc.para("{{ data.facts }}")
    doc.section_title("三、涉嫌违反的规定")
    doc.loop("p in data.provisions_violated", "{{ loop.index }}", "．", "{{ p }}")
    doc.section_title("四、证据清单")
    evidence_table(doc)
    doc.section_title("五、约谈必要性、适用情形及排除情形")
    doc.para("{{ data.reason }}")
    doc.para("本案符合行政约谈适用情形：", "{{ data.situation }}", "。")
    doc.when("data.no_exclusion_applies", EXCLUSIONS)
    doc.section_title("六、承办意见")
    doc.para("综上，建议对当事人进行行政约谈，妥否，请审示。")
    doc.para("承办人员：", "{{ data.officers | officers }}", "。")
    sign_lines(doc, [Signer("承办人", ["{{ o.name }}"], loop="o in data.officers")])
    dated(doc)


OPINIONS = ("section_opinion", "legal_opinion", "leader_opinion")
SPLIT_OPINION_AT = 600  # characters: 25 lines of 四号 in the cell, with room to sign below


def approval_form(doc: TemplateDoc) -> None:
    """02 行政约谈审批表: each opinion leaves three lines to write by hand, then signer and date."""
    doc.heading()
    doc.para("填表日期：", "{{ doc.issued_on_cn }}", indent=False, align="right", keep=True)
    label, value = 32, 46

    def opinion(key: str) -> list[list[Part] | If | Space]:
        o = f"data.{key}"
        return [
            If(f"{o}.opinion", [f"{{{{ {o}.opinion }}}}"]),
            Space(3),
            [
                "签名：＿＿＿＿＿＿",
                f"{{% if {o}.signer %}}（{{{{ {o}.signer }}}}）{{% endif %}}",
                "\t",
                f"{{% if {o}.signed_on %}}{{{{ {o}.signed_on | cn_date }}}}"
                "{% else %}　　年　月　日{% endif %}",
            ],
        ]

    table = doc.table(
        [label, value, label, value],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", "", ""],
            [[[B("当事人")]], "{{ party.name }}", "", ""],
            [[[B("约谈事由")]], "{{ case.cause }}", "", ""],
            [[[B("简要案情")]], "{{ data.summary }}", "", ""],
            [[[B("拟约谈时间")]], "{{ data.proposed_time | cn_datetime }}", "", ""],
            [[[B("拟约谈地点")]], "{{ data.proposed_place }}", "", ""],
            [
                [[B("约谈人员")]],
                [
                    Loop(
                        "i in data.interviewers",
                        [
                            "{{ i.name }}",
                            "（执法证号：",
                            "{{ i.cert_no }}",
                            "）",
                            "{% if i.legal_review_qualified %}，具有法制审核资格{% endif %}",
                        ],
                    )
                ],
                "",
                "",
            ],
            [[[B("是否重大案件")]], "{{ data.major_case | yesno }}", "", ""],
            [[[B("承办科室意见")]], opinion("section_opinion"), "", ""],
            [[[B("法制科意见")]], opinion("legal_opinion"), "", ""],
            [
                [[B("{% if data.major_case %}组长{% else %}分管副组长{% endif %}审批意见")]],
                opinion("leader_opinion"),
                "",
                "",
            ],
        ],
        merge=[(r, 1, 3) for r in range(11)],
        size=SIZE_FORM,
    )
    for row, key in zip(table.rows[8:], OPINIONS, strict=True):
        # The date of each opinion sits at the right edge of its cell; the opinion and the
        # handwriting lines keep with the signature when a long opinion splits the row.
        *above, sign = row.cells[1].paragraphs
        sign.paragraph_format.tab_stops.add_tab_stop(
            Mm(value * 2 + label - 4), WD_TAB_ALIGNMENT.RIGHT
        )
        for paragraph in above:
            paragraph.paragraph_format.keep_with_next = True
        # An opinion that fits on a page keeps its handwriting lines and signature with it;
        # only a longer one may split (else it would be clipped).
        keep = OxmlElement("w:cantSplit")
        keep.set(
            qn("w:val"),
            f"{{{{ 'false' if (data.{key}.opinion or '') | length > {SPLIT_OPINION_AT} "
            "else 'true' }}",
        )
        row._tr.get_or_add_trPr().append(keep)


CHECKS = (
    ("party_identified", "当事人认定是否准确"),
    ("facts_clear", "事实是否清楚"),
    ("evidence_sufficient", "证据是否确实充分"),
    ("procedure_lawful", "程序是否合法"),
    ("law_applied", "适用法律是否正确"),
)


def legal_review(doc: TemplateDoc) -> None:
    """03 法制审核意见书."""
    doc.heading()
    party_table(doc)
    doc.para(
        "{{ data.submitted_by }}",
        "于",
        "{{ data.submitted_on | cn_date }}",
        "送审的",
        "{{ party.name }}",
        "行政约谈案件材料收悉。",
        "{% if data.major_case %}本案属于重大案件，按重大案件审核时限办理。{% endif %}",
        "经审核，意见如下：",
    )
    doc.table(
        [46, 24, 86],
        ["审核事项", "审核结果", "审核说明"],
        [
            [
                [[B(title)]],
                f"{{{{ data.{key}.passed | yesno('符合', '不符合') }}}}",
                f"{{{{ data.{key}.note }}}}",
            ]
            for key, title in CHECKS
        ],
    )
    doc.section_title("审核结论")
    doc.para("{{ data.conclusion }}", "。", "{{ data.opinion }}")
    doc.para("审核人员：", "{{ data.reviewers | officers }}", "。")
    sign_lines(
        doc,
        [
            Signer("审核人", ["{{ r.name }}"], loop="r in data.reviewers"),
            Signer("法制科负责人", ["{{ data.legal_head or '' }}"]),
        ],
    )
    doc.para("审核日期：", "{{ data.reviewed_on | cn_date }}", indent=False, align="right")
