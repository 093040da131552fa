"""Request and response bodies of the archive API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.archives.models import ArchiveStatus, CheckKind, HoldKind
from service.schemas import RequestModel


class ArchiveRequest(RequestModel):
    """Archive a closed case (again, after a supplement, with a reason)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=1000, title="补充归档原因")


class RetentionChange(RequestModel):
    """An archivist's change of retention class."""

    model_config = ConfigDict(extra="forbid")

    retention_class: str = Field(
        min_length=1, max_length=8, title="保管期限", alias="class", serialization_alias="class"
    )
    reason: str = Field(min_length=2, max_length=1000, title="调整理由")


class ContentsRow(BaseModel):
    """One row of the 卷内文书清单."""

    seq: int
    template: str
    name: str
    doc_no: str
    issued_on: date
    pages: int
    start_page: int
    end_page: int
    page_numbers: list[int] | None = Field(
        default=None,
        description="页号 printed on its first and last page (archives before 页号: null)",
    )
    sha256: str
    pdf_sha256: str
    template_version: str


class MaterialRow(BaseModel):
    """A material in the case file: filed as pages, embedded (OFD), or, audio and video, a
    locked object of its own beside the dossier."""

    seq: int
    material_id: int
    kind: str
    title: str
    made_on: date
    author: str
    ref_no: str | None
    format: str
    media_type: str
    filing: str
    pages: int
    duration: float | None
    size: int
    sha256: str
    attachment: str | None = Field(description="the original's name inside the dossier")
    object_key: str | None = Field(description="audio and video: the locked object")
    version_id: str | None
    start_page: int | None
    end_page: int | None
    page_numbers: list[int] | None = Field(description="页号 of its first and last page")


class ArchiveOut(BaseModel):
    """An archive record."""

    archive_no: str
    case_id: int
    case_no: str
    party: str
    fonds_no: str
    year: int
    item_no: int
    retention_class: str
    retention_label: str
    retention_reason: str | None
    closed_on: date
    expires_on: date | None
    interview_on: date | None
    status: ArchiveStatus
    sha256: str
    size: int
    page_count: int
    versions: int
    archived_at: datetime
    archived_by: str
    verify_url: str


class VersionOut(BaseModel):
    """One stored version of the dossier."""

    version_no: int
    version_id: str | None
    sha256: str
    size: int
    archived_at: datetime
    archived_by: str
    reason: str | None


class CheckOut(BaseModel):
    """A re-check of the stored dossier (the nightly fixity audit, ``anjuan archive verify``)."""

    kind: CheckKind
    checked_at: datetime
    version_id: str | None
    ok: bool
    findings: list[dict[str, Any]] = Field(description="{aspect, code, message} per finding")


class ArchiveDetail(ArchiveOut):
    """An archive with its documents, integrity report, versions and re-checks."""

    documents: list[ContentsRow]
    materials: list[MaterialRow] = Field(default_factory=list)
    integrity: dict[str, Any] = Field(description="the 四性 report made at archiving")
    history: list[VersionOut]
    checks: list[CheckOut] = Field(
        default_factory=list, description="the 四性 re-checks since, newest first (up to 50)"
    )


class PresignedFile(BaseModel):
    """A short-lived download URL for the dossier."""

    url: str
    expires_in: int


class ArchiveHitOut(ArchiveOut):
    """A search hit: the archive, the matching text and, once destroyed, its register entry."""

    snippet: str | None = Field(
        default=None, description="Text around the first match, the match in <mark>…</mark>"
    )
    register_id: int | None = None
    destruction_list_no: str | None = None


class ArchivePage(BaseModel):
    """A page of search results."""

    total: int
    limit: int
    offset: int
    items: list[ArchiveHitOut]


class HoldCreate(RequestModel):
    """Place a hold."""

    model_config = ConfigDict(extra="forbid")

    kind: HoldKind = Field(
        title="暂停销毁事由",
        description="review 复查, reconsideration 行政复议, litigation 行政诉讼, "
        "complaint 投诉, other 其他",
    )
    reason: str = Field(min_length=2, max_length=1000, title="说明")


class HoldRelease(RequestModel):
    """Release a hold."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=1000, title="解除理由")


class HoldOut(BaseModel):
    """A hold."""

    id: int
    kind: HoldKind
    reason: str
    placed_by: str
    placed_at: datetime
    released_by: str | None
    released_at: datetime | None
    release_reason: str | None


class DueArchive(BaseModel):
    """An archive whose retention has ended."""

    archive_no: str
    case_no: str
    party: str
    retention_class: str
    closed_on: date
    expires_on: date | None
    retain_until: datetime | None
    on_list: str | None
