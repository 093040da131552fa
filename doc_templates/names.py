"""Codes, Chinese names and categories of the twelve numbered templates (DOMAIN.md)."""

from __future__ import annotations

from doc_templates.context import Category

TEMPLATE_NAMES: dict[str, str] = {
    "01": "约谈线索核实报告",
    "02": "行政约谈审批表",
    "03": "法制审核意见书",
    "04": "行政约谈通知书",
    "05": "送达回证",
    "06": "约谈提纲",
    "07": "行政约谈记录",
    "08": "整改通知书",
    "09": "整改跟踪台账",
    "10": "整改验收意见书",
    "11": "整改验收合格书",
    "12": "行政处罚事先告知书",
}

TEMPLATE_CATEGORIES: dict[str, Category] = {
    code: "initiation" if code <= "03" else "implementation" if code <= "07" else "result"
    for code in TEMPLATE_NAMES
}
