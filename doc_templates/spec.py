"""One spec per template: everything the service knows about a template, in the module of its
field model — so that adding a template touches that module, its DOCX and its sample.

What a spec says: its code and name, its category and pack, its 文号 type code (类型代字), its
field model, which act of the case it records and which of its fields carry that act's date
(and time), and which field gives the interview date a dossier cover shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from doc_templates.context import Category


@dataclass(frozen=True)
class TemplateSpec:
    """A template's facts. ``act`` names the act it records (``service.process`` kinds);
    ``act_date`` / ``act_time`` the dotted paths of the fields carrying its date and time
    (``None``: the document's own 成文日期)."""

    code: str
    name: str
    category: Category
    pack: str
    type_code: str
    model: type[BaseModel]
    act: str | None = None
    act_date: str | None = None
    act_time: str | None = None
    interview_date: str | None = None


def field_at(data: dict[str, Any], path: str | None) -> Any:
    """The value at a dotted path of JSON-like data (``None`` when absent)."""
    if path is None:
        return None
    value: Any = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value
