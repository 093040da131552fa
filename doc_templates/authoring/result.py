"""Layouts of the result documents 08–12."""

from __future__ import annotations

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.closing import Signer, dated, seal, sign_lines
from doc_templates.authoring.common import (
    evidence_table,
    letter_opening,
    party_table,
    rectification_table,
)
from doc_templates.authoring.style import SIZE_TABLE, B, If


def rectification_notice(doc: TemplateDoc) -> None:
    """08 整改通知书."""
    doc.heading()
    letter_opening(doc)
    doc.para(
        "本机关于",
        "{{ data.interview_on | cn_date }}",
        "对你（单位）进行了行政约谈。经查，你（单位）",
        "{{ data.findings }}",
    )
    doc.para(
        "根据",
        "{{ data.legal_basis | join('、') }}",
        "的规定，现责令你（单位）于",
        "{{ data.deadline | cn_date }}",
        "前按下列要求完成整改：",
    )
    rectification_table(doc)
    doc.para(
        "请于",
        "{{ data.report_due | cn_date }}",
        "前（整改期限届满前3个工作日）将整改情况书面报告本机关，并附相关佐证材料。",
    )
    doc.para("{{ data.consequences }}")
    doc.para(
        "联系人：", "{{ data.contact_person }}", "，联系电话：", "{{ data.contact_phone }}", "。"
    )
    seal(doc)


def tracking_ledger(doc: TemplateDoc) -> None:
    """09 整改跟踪台账."""
    doc.heading()
    party_table(doc)
    doc.para(
        "整改通知书：",
        "{{ data.notice_no }}",
        "　整改期限：",
        "{{ data.deadline | cn_date }}",
        "　台账责任人：",
        "{{ data.responsible }}",
        indent=False,
    )
    doc.table(
        [11, 24, 30, 24, 37, 15, 15],
        ["序号", "跟踪日期", "整改事项", "整改期限", "整改措施及进展", "状态", "跟踪人"],
        [
            [
                "{{ loop.index }}",
                "{{ r.checked_on | dot_date }}",
                "{{ r.item }}",
                "{{ r.deadline | dot_date }}",
                [["{{ r.measures }}"], If("r.remark", ["备注：", "{{ r.remark }}"])],
                "{{ r.progress }}",
                "{{ r.tracker }}",
            ]
        ],
        loop="r in data.rows",
        size=SIZE_TABLE,
    )
    sign_lines(doc, [Signer("台账责任人", ["{{ data.responsible }}"])])
    dated(doc)


def _acceptance_intro(doc: TemplateDoc) -> None:
    doc.para(
        "本机关于",
        "{{ data.report_received_on | cn_date }}",
        "收到",
        "{{ party.name }}",
        "的整改报告。报告称：",
        "{{ data.report_summary }}",
    )
    doc.para(
        "验收人员",
        "{{ data.inspectors | officers }}",
        "于",
        "{{ data.accepted_on | cn_date }}",
        "对整改情况进行了现场验收。",
    )


def acceptance_opinion(doc: TemplateDoc) -> None:
    """10 整改验收意见书."""
    doc.heading()
    party_table(doc)
    _acceptance_intro(doc)
    doc.table(
        [78, 78],
        ["审查项目", "审查结果"],
        [
            [[[B("整改材料是否完整")]], "{{ data.materials_complete | yesno }}"],
            [[[B("整改措施是否合法")]], "{{ data.measures_lawful | yesno }}"],
            [[[B("是否达到整改目标")]], "{{ data.target_met | yesno }}"],
        ],
    )
    doc.table(
        [12, 36, 48, 20, 40],
        ["序号", "验收事项", "验收标准", "验收结果", "验收情况"],
        [
            [
                "{{ loop.index }}",
                "{{ c.item }}",
                "{{ c.standard }}",
                "{{ c.outcome }}",
                "{{ c.note }}",
            ]
        ],
        loop="c in data.checks",
    )
    doc.section_title("验收结论")
    doc.para("{{ data.conclusion }}", "。", "{{ data.opinion }}")
    doc.section_title("后续监管")
    doc.para("{{ data.follow_up }}")
    sign_lines(doc, [Signer("验收人员", ["{{ i.name }}"], loop="i in data.inspectors")])
    seal(doc)


def acceptance_certificate(doc: TemplateDoc) -> None:
    """11 整改验收合格书."""
    doc.heading()
    letter_opening(doc)
    doc.para(
        "你（单位）于",
        "{{ data.report_received_on | cn_date }}",
        "报送的整改报告收悉。",
        "{{ data.report_summary }}",
    )
    doc.para(
        "本机关验收人员",
        "{{ data.inspectors | officers }}",
        "于",
        "{{ data.accepted_on | cn_date }}",
        "按照整改通知书（",
        "{{ data.notice_no }}",
        "）的要求对你（单位）的整改情况进行了验收。经验收，",
        "{% if data.materials_complete %}整改材料完整{% endif %}",
        "{% if data.measures_lawful %}，整改措施合法{% endif %}",
        "{% if data.target_met %}，达到整改目标{% endif %}",
        "，下列事项整改合格：",
    )
    doc.loop("i in data.items_accepted", "{{ loop.index }}", "．", "{{ i }}")
    doc.para("本次整改验收合格。", "{{ data.follow_up }}")
    seal(doc)


def penalty_notice(doc: TemplateDoc) -> None:
    """12 行政处罚事先告知书."""
    doc.heading()
    letter_opening(doc)
    doc.para(
        "本机关对你（单位）",
        "{{ case.cause }}",
        "一案进行了行政约谈并责令限期整改。",
        "{{ data.rectification_outcome }}",
    )
    doc.para("经查，", "{{ data.facts }}")
    doc.para("上述事实有下列证据证明（行政约谈记录作为证据附后）：")
    evidence_table(doc)
    doc.para(
        "你（单位）的上述行为违反了",
        "{{ data.provisions_violated | join('、') }}",
        "的规定。依据",
        "{{ data.penalty_basis | join('、') }}",
        "的规定，本机关拟对你（单位）作出如下行政处罚：",
        "{{ data.intended_penalty }}",
    )
    doc.para(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
        "如有异议，请在收到本告知书之日起",
        "{{ data.statement_days }}",
        "日内向本机关提出陈述、申辩，逾期未提出的，视为放弃上述权利。",
    )
    doc.when(
        "data.hearing_applicable",
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证。"
        "如要求听证，请在收到本告知书之日起",
        "{{ data.hearing_days }}",
        "日内向本机关提出，逾期未提出的，视为放弃听证权利。",
    )
    doc.para(
        "地址：",
        "{{ data.agency_address }}",
        "，联系人：",
        "{{ data.contact_person }}",
        "，联系电话：",
        "{{ data.contact_phone }}",
        "。",
    )
    seal(doc)
