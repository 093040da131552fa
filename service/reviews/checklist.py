"""The case-file review checklist (案卷评查): items with points, and the pass mark; the office
configures its own with ``ANJUAN_REVIEW_CHECKLIST`` and ``ANJUAN_REVIEW_PASS_MARK``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChecklistItem(BaseModel):
    """One item a reviewer scores, out of ``points``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=100)
    points: int = Field(ge=1, le=100)


DEFAULT_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(code="documents", label="文书齐全、制作规范", points=30),
    ChecklistItem(code="procedure", label="程序合法", points=25),
    ChecklistItem(code="time_limits", label="时限符合规定", points=15),
    ChecklistItem(code="law", label="适用法律正确", points=20),
    ChecklistItem(code="filing", label="立卷归档规范", points=10),
)
DEFAULT_PASS_MARK = 85
