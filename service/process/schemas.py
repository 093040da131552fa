"""Request and response bodies of the process API: acts, drafts, voiding, warnings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from service.calendar.workdays import CalendarDate
from service.process.models import ActKind
from service.schemas import RequestModel


class ActIn(RequestModel):
    """An act recorded directly (no document of its own records it)."""

    kind: ActKind = Field(
        title="事项",
        description="report_received (收到整改报告) or approval_signed (审批表手写签批)",
    )
    on: CalendarDate = Field(title="日期", description="when it happened; not in the future")
    document_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, title="审批表", description="approval: the case's 02"
    )
    approved: bool | None = Field(
        default=None, title="同意约谈", description="approval: the leader's decision"
    )
    note: str | None = Field(default=None, max_length=1000, title="说明")


class ActOut(BaseModel):
    """One act of the case's timeline."""

    id: int
    kind: ActKind
    label: str
    on: date
    at: datetime | None
    document_id: int | None
    doc_no: str | None
    detail: dict[str, Any]
    note: str | None
    recorded_by: str
    recorded_at: datetime
    voided: bool


class VoidIn(RequestModel):
    """Void a wrong document."""

    reason: str = Field(min_length=2, max_length=1000, title="作废理由")


class VoidOut(BaseModel):
    """A voided document."""

    id: int
    doc_no: str
    template: str
    template_name: str
    status: str
    voided_at: datetime | None
    voided_by: str | None
    void_reason: str | None
    rearchived: bool = Field(description="the archived case was archived again, as a new version")
    archive_version: int | None = None


class DraftOut(BaseModel):
    """A document's data prefilled from the case and its earlier documents, to complete."""

    template: str
    issued_on: date | None = Field(description="the 成文日期 the act's date gives, if known")
    data: dict[str, Any]
    missing: list[dict[str, str]] = Field(
        description="what the order rule still needs before this document can be issued"
    )


class WarningOut(BaseModel):
    """An open step with a yellow or red warning."""

    case_id: int
    case_no: str
    party: str
    section: str | None
    handler: str | None
    step: str
    label: str
    due: date | datetime | None
    warning: str
    provisional: bool


class FlaggedSection(BaseModel):
    """A section with three (or more) overdue steps in a row (连续三次超期)."""

    section: str
    overdue_in_a_row: int
    steps: list[dict[str, Any]]


class WarningsOut(BaseModel):
    """Open yellow and red steps across cases, and the sections flagged."""

    as_of: date
    items: list[WarningOut]
    flagged_sections: list[FlaggedSection]
