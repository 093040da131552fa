"""Layouts of the guidance pack: G01 行政指导建议书 and G02 行政指导回访记录."""

from __future__ import annotations

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.closing import Signer, dated, seal, sign_lines
from doc_templates.authoring.common import letter_opening
from doc_templates.authoring.style import SIZE_FORM, B, Loop

# Reference 002 (自愿性原则): guidance binds no one, and declining it costs the party nothing.
VOLUNTARY = (
    "本建议书属于行政指导，不具有强制执行力。是否采纳由你（单位）自主决定，"
    "本机关不因你（单位）不采纳而对你（单位）作出不利处理。"
)


def guidance_advice(doc: TemplateDoc) -> None:
    """G01 行政指导建议书: served on the party, so sealed."""
    doc.heading()
    letter_opening(doc)
    doc.para(
        "本机关于",
        "{{ data.guided_on | cn_date }}",
        "对你（单位）进行了走访检查。经了解，",
        "{{ data.situation }}",
    )
    doc.para(
        "根据",
        "{{ data.legal_basis | join('、') }}",
        "的规定，本着服务、引导的原则，现以",
        "{{ data.kind }}",
        "方式向你（单位）提出如下行政指导意见：",
    )
    doc.loop("s in data.suggestions", "{{ loop.index }}", "．", "{{ s }}")
    doc.para(VOLUNTARY)
    doc.para(
        "请于",
        "{{ data.feedback_by | cn_date }}",
        "前将采纳情况反馈本机关。联系人：",
        "{{ data.contact_person }}",
        "，联系电话：",
        "{{ data.contact_phone }}",
        "。",
    )
    doc.para("本建议书以", "{{ data.service_method }}", "方式送达。")
    seal(doc)


def guidance_visit(doc: TemplateDoc) -> None:
    """G02 行政指导回访记录: a working paper signed by the person visited and each visitor."""
    doc.heading()
    doc.table(
        [30, 50, 30, 46],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", "", ""],
            [[[B("当事人")]], "{{ party.name }}", "", ""],
            [[[B("指导事由")]], "{{ case.cause }}", "", ""],
            [[[B("指导文书")]], [["{{ data.title }}", "（", "{{ data.doc_no }}", "）"]], "", ""],
            [[[B("回访时间")]], "{{ data.visited_at | cn_datetime }}", "", ""],
            [[[B("回访方式")]], "{{ data.method }}", "", ""],
            [[[B("回访地点")]], "{{ data.place }}", "", ""],
            [
                [[B("回访人员")]],
                [
                    Loop(
                        "o in data.visitors",
                        ["{{ o.name }}", "（执法证号：", "{{ o.cert_no }}", "）"],
                    )
                ],
                "",
                "",
            ],
            [
                [[B("接受回访人")]],
                [["{{ data.interviewee.name }}", "（", "{{ data.interviewee.role }}", "）"]],
                "",
                "",
            ],
        ],
        merge=[(r, 1, 3) for r in range(9)],
        size=SIZE_FORM,
    )
    doc.section_title("一、指导建议采纳情况")
    doc.para("采纳情况：", "{{ data.adoption }}", "。")
    doc.para("{{ data.measures }}")
    doc.section_title("二、当事人意见建议")
    doc.para("{{ data.opinion }}")
    doc.section_title("三、执法人员廉洁文明执法情况")
    doc.para("{{ data.conduct }}")
    doc.para("当事人评价：", "{{ data.satisfaction }}", "。")
    doc.section_title("四、回访评估意见")
    doc.para("{{ data.evaluation }}")
    doc.para("以上记录已交接受回访人核对，确认无误。")
    sign_lines(
        doc,
        [
            Signer("接受回访人", ["{{ data.interviewee.name }}"]),
            Signer("回访人", ["{{ o.name }}"], loop="o in data.visitors"),
        ],
    )
    dated(doc)
