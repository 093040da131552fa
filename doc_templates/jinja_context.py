"""The Jinja environment (filters, autoescape) and the context every template sees."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

import jinja2
from pydantic import BaseModel

from doc_templates.context import RenderContext


def cn_date(value: date | None) -> str:
    """2026-11-22 → 2026年11月22日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def dot_date(value: date | None) -> str:
    """2026-11-22 → 2026.11.22 (for narrow table columns)."""
    if value is None:
        return ""
    return f"{value.year}.{value.month:02d}.{value.day:02d}"


def cn_time(value: datetime | None) -> str:
    """09:30 → 9时30分."""
    if value is None:
        return ""
    return f"{value.hour}时{value.minute:02d}分"


def cn_datetime(value: datetime | None) -> str:
    """2026-11-20 09:30 → 2026年11月20日9时30分."""
    if value is None:
        return ""
    return cn_date(value) + cn_time(value)


def yesno(value: object, yes: str = "是", no: str = "否") -> str:
    """A boolean as 是/否 (or the given words)."""
    return yes if value else no


def names(people: Iterable[Mapping[str, Any]]) -> str:
    """Names of people joined by 、."""
    return "、".join(str(p["name"]) for p in people)


def officers(people: Iterable[Mapping[str, Any]]) -> str:
    """Officers as 张三（执法证号：…）、李四（执法证号：…）."""
    return "、".join(f"{p['name']}（执法证号：{p['cert_no']}）" for p in people)


def _finalize(value: object) -> object:
    return "" if value is None else value


_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def paragraphs(value: Any) -> Any:
    """Every newline in the data's strings as "\\a": the renderer makes it a new paragraph.

    A line break inside a justified paragraph stretches the line before it across the page;
    a new paragraph keeps the paragraph's indent and alignment and stretches nothing.
    """
    if isinstance(value, str):
        return _NEWLINES.sub("\a", value.strip())
    if isinstance(value, dict):
        return {key: paragraphs(item) for key, item in value.items()}
    if isinstance(value, list):
        return [paragraphs(item) for item in value]
    return value


FILTERS = {
    "cn_date": cn_date,
    "dot_date": dot_date,
    "cn_time": cn_time,
    "cn_datetime": cn_datetime,
    "yesno": yesno,
    "names": names,
    "officers": officers,
}


class _DataEnvironment(jinja2.Environment):
    """Looks dict keys up before attributes, so a field named ``items`` is not dict.items."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@cache
def jinja_env() -> jinja2.Environment:
    """The shared environment: autoescape on, undefined names are errors, None prints empty."""
    env = _DataEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
    env.filters.update(FILTERS)
    return env


def jinja_context(code: str, name: str, ctx: RenderContext, data: BaseModel) -> dict[str, Any]:
    """The variables a template may use: agency, case, party, doc and data."""
    party = ctx.party
    return {
        "agency": {"name": ctx.agency_name},
        "case": {"case_no": ctx.case_no, "cause": paragraphs(ctx.cause)},
        "party": {
            "name": party.name,
            "kind": party.kind,
            "kind_label": party.kind_label,
            "id_code": party.id_code or "",
            "representative": party.representative or "",
            "address": party.address or "",
            "phone": party.phone or "",
        },
        "doc": {
            "code": code,
            "name": name,
            "doc_no": ctx.doc_no,
            "issued_on": ctx.issued_on,
            "issued_on_cn": cn_date(ctx.issued_on),
            "index_line": ctx.index_line,
            "specimen": ctx.specimen,
            "verify_url": ctx.verify_url,
        },
        "data": paragraphs(data.model_dump(mode="python")),
    }


CONTEXT_KEYS: dict[str, frozenset[str]] = {
    "agency": frozenset({"name"}),
    "case": frozenset({"case_no", "cause"}),
    "party": frozenset(
        {"name", "kind", "kind_label", "id_code", "representative", "address", "phone"}
    ),
    "doc": frozenset(
        {
            "code",
            "name",
            "doc_no",
            "issued_on",
            "issued_on_cn",
            "index_line",
            "specimen",
            "verify_url",
        }
    ),
}
