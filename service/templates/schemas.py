"""API shapes of template versions."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service.templates.models import VersionSource, VersionStatus


class LintFinding(BaseModel):
    """One lint finding: what kind, in which part of the DOCX, and what exactly."""

    kind: str = Field(
        description="split-tag | syntax | unknown-variable | unused-field | qr-slot | font | "
        "render | specimen"
    )
    part: str
    detail: str


class VersionLinks(BaseModel):
    """Where the version's files are."""

    docx: str
    specimen_docx: str | None
    specimen_pdf: str | None
    activate: str


class TemplateVersionOut(BaseModel):
    """One version of a template."""

    code: str
    version: str = Field(description="SHA-256 of the DOCX and the field model's schema")
    status: VersionStatus
    source: VersionSource
    filename: str
    note: str
    size: int
    sha256: str = Field(description="SHA-256 of the DOCX alone")
    findings: list[LintFinding] = Field(description="lint findings; any refuses activation")
    activatable: bool
    specimen_error: str | None
    uploaded_by: str
    uploaded_at: datetime
    activated_by: str | None
    activated_at: datetime | None
    retired_at: datetime | None
    links: VersionLinks
