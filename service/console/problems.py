"""Field problems as the console shows them: in Chinese, beside or above the field.

The API's problems are ``{"field", "message", "type", "label"}`` with English messages; a
person reads the Chinese gloss a message carries, else the meaning of its type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from doc_templates.text_rules import FORBIDDEN_CHARACTER

CHINESE = re.compile(r"[（(]([^（）()]*[\u4e00-\u9fff][^（）()]*)[）)]")
MESSAGES = {
    "missing": "必须填写",
    "string_too_short": "内容不能为空或过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "条目不足",
    "too_long": "条目过多",
    "date_parsing": "日期格式不正确",
    "date_from_datetime_parsing": "日期格式不正确",
    "datetime_parsing": "日期时间格式不正确",
    "datetime_from_date_parsing": "日期时间格式不正确",
    "int_parsing": "须为整数",
    "bool_parsing": "须为是或否",
    "enum": "须从选项中选择",
    "literal_error": "须从选项中选择",
    FORBIDDEN_CHARACTER: "含有文书不能容纳的字符",
    "extra_forbidden": "不是该文书的字段",
}
# The query and form fields of the console's own pages, as their forms label them.
LABELS = {
    "q": "全文关键词",
    "case_no": "案号",
    "party": "当事人",
    "class": "保管期限",
    "status": "状态",
    "from": "起始日期",
    "to": "截止日期",
    "expires_before": "到期早于",
    "sort": "排序",
    "actor": "操作人",
    "role": "角色",
    "action": "操作",
    "target_type": "对象类型",
    "target_id": "对象",
    "outcome": "结果",
    "section": "承办科室",
    "queue": "队列",
    "username": "用户名",
    "password": "密码",
    "name": "名称",
    "reason": "理由",
    "appraisal": "鉴定意见",
    "title": "标题",
    "comment": "审批意见",
    "archive_no": "档号",
    "note": "修改说明",
    "next": "跳转地址",
}


def chinese(problem: Mapping[str, Any]) -> str:
    """The problem said in Chinese: the API's own Chinese gloss, else by its type."""
    message = str(problem.get("message", ""))
    gloss = CHINESE.search(message)
    if gloss:
        return gloss.group(1)
    return MESSAGES.get(str(problem.get("type")), message)


def in_chinese(problems: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Problems with their message in Chinese and a label wherever the field has one."""
    out = []
    for p in problems:
        field = str(p.get("field", ""))
        label = p.get("label") or LABELS.get(field.split(".")[-1].split("[")[0])
        out.append({**p, "message": chinese(p), "label": label})
    return out
