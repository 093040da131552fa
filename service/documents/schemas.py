"""Request and response bodies of the document API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.calendar.workdays import CalendarDate
from service.documents.models import DocumentStatus
from service.schemas import RequestModel


class DocumentIssue(RequestModel):
    """Issue a document of a case from a numbered template."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(
        min_length=1,
        max_length=8,
        title="文书模板编号",
        examples=["04"],
        description='Template code "01"…"12" (see GET /api/v1/templates)',
    )
    data: dict[str, Any] = Field(
        title="文书内容",
        description="The template's own fields; its JSON Schema is at /api/v1/templates/{code}",
    )
    issued_on: CalendarDate | None = Field(
        default=None,
        title="成文日期",
        description="The document's date. Default: the date of the act it records (for 04, 06, "
        "08, 12, whose act is their own making: today). Never in the future, never before "
        "what it depends on.",
    )
    replaces: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        title="被替换的文书",
        description="The voided document of this case this one replaces (it gets a new 文号)",
    )


class DocumentLinks(BaseModel):
    """Where to fetch the document's files."""

    docx: str
    pdf: str
    pdf_job: str | None = Field(
        default=None, description="The job making the PDF (GET it for its state)"
    )


class DocumentOut(BaseModel):
    """An issued document."""

    id: int
    case_id: int
    case_no: str
    template: str
    template_name: str
    doc_no: str
    version: str = Field(description="SHA-256 of the template (DOCX + schema) that rendered it")
    status: DocumentStatus
    sha256: str = Field(description="SHA-256 of the issued DOCX")
    size: int
    pdf_sha256: str | None = Field(description="SHA-256 of the PDF; null until it is made")
    issued_on: date = Field(description="成文日期: the document's date, the act's date")
    issued_at: datetime = Field(description="when the service recorded it")
    issued_by: str
    replaces: int | None = Field(default=None, description="the voided document it replaces")
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None
    verify_url: str
    links: DocumentLinks
