"""Archives (档案): one dossier object per case in the Object Lock bucket, and its text index."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class ArchiveStatus(StrEnum):
    """Where an archive stands."""

    archived = "archived"
    destroyed = "destroyed"


class Archive(Base):
    """The archive record of a case: its 档号, retention and the dossier object's identity."""

    __tablename__ = "archives"
    __table_args__ = (
        Index("ix_archives_retention_class_expires_on", "retention_class", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    archive_no: Mapped[str] = mapped_column(String(64), unique=True)  # 档号
    fonds_no: Mapped[str] = mapped_column(String(16))  # 全宗号
    year: Mapped[int] = mapped_column(Integer, index=True)  # 年度 (year of closure)
    item_no: Mapped[int] = mapped_column(Integer)  # 件号
    retention_class: Mapped[str] = mapped_column(String(8), index=True)
    retention_reason: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date] = mapped_column(Date, index=True)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)  # None: permanent
    # The moment the Object Lock retention ends (None: permanent); destruction may start then.
    retain_until: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    status: Mapped[ArchiveStatus] = mapped_column(
        Enum(ArchiveStatus, native_enum=False, length=16, name="archive_status"),
        default=ArchiveStatus.archived,
        index=True,
    )
    # Denormalised for search and for the register after destruction.
    case_no: Mapped[str] = mapped_column(String(64), index=True)
    party_name: Mapped[str] = mapped_column(String(200), index=True)
    interview_on: Mapped[date | None] = mapped_column(Date)

    object_key: Mapped[str] = mapped_column(String(300))
    version_id: Mapped[str | None] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    verify_id: Mapped[str] = mapped_column(String(32), unique=True)
    contents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # the 卷内文书清单
    # the case's materials in the file (pages, embedded originals, audio and video objects)
    materials: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    integrity: Mapped[dict[str, Any]] = mapped_column(JSON)  # the 四性 report
    versions: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    archived_by: Mapped[str] = mapped_column(String(128))
    # What the current version holds (service.archives.assembly.fingerprint): archiving an
    # unchanged case again writes nothing.
    content_hash: Mapped[str | None] = mapped_column(String(64))


class ArchiveNumber(Base):
    """The 档号 a case is given on its first archiving attempt, kept if that attempt fails.

    Allocating it in a short transaction of its own keeps the dossier build and upload out of
    any write transaction, and a retry reuses it, so 件号 stay gap-free. ``claimed_at`` marks
    a build in progress, so that two requests do not both build and store a dossier.
    """

    __tablename__ = "archive_numbers"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    archive_no: Mapped[str] = mapped_column(String(64), unique=True)
    fonds_no: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    item_no: Mapped[int] = mapped_column(Integer)
    retention_class: Mapped[str] = mapped_column(String(8))
    verify_id: Mapped[str] = mapped_column(String(32), unique=True)
    reserved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    # The record a build will write, kept before its upload (service.archives.staging).
    staged: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ArchiveVersion(Base):
    """Every stored version of a dossier (a supplement re-archives; old versions stay)."""

    __tablename__ = "archive_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[str | None] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    archived_at: Mapped[datetime] = mapped_column(UtcDateTime)
    archived_by: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)


class ArchiveText(Base):
    """The dossier's extracted text, indexed for Chinese full-text search.

    SQLite indexes it with an FTS5 trigram table kept in step by triggers, PostgreSQL with a
    GIN index over its runs of up to four characters (both created by the migrations; see
    ``service.archives.search``).
    """

    __tablename__ = "archive_texts"

    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class HoldKind(StrEnum):
    """Why an archive must not be destroyed."""

    review = "review"  # 复查
    reconsideration = "reconsideration"  # 行政复议
    litigation = "litigation"  # 行政诉讼
    complaint = "complaint"  # 投诉
    other = "other"


class Hold(Base):
    """A hold on an archive; active while ``released_at`` is empty."""

    __tablename__ = "archive_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), index=True)
    kind: Mapped[HoldKind] = mapped_column(
        Enum(HoldKind, native_enum=False, length=16, name="hold_kind")
    )
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(128))
    placed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_by: Mapped[str | None] = mapped_column(String(128))
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)


class CheckKind(StrEnum):
    """What re-checked a dossier."""

    fixity_audit = "fixity_audit"  # the nightly job (service.archives.jobs)
    verify = "verify"  # ``anjuan archive verify``


class ArchiveCheck(Base):
    """One re-check of a stored dossier against its record (the 四性 history): the version
    read back, whether it passed, and every finding."""

    __tablename__ = "archive_checks"
    __table_args__ = (Index("ix_archive_checks_archive_id_checked_at", "archive_id", "checked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"))
    kind: Mapped[CheckKind] = mapped_column(
        Enum(CheckKind, native_enum=False, length=16, name="check_kind")
    )
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version_id: Mapped[str | None] = mapped_column(String(128))
    ok: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
