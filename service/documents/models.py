"""Issued documents (文书): numbered, stored in S3, verifiable through their QR token."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class DocumentStatus(StrEnum):
    """What ``/verify`` reports about a document."""

    valid = "valid"
    superseded = "superseded"
    archived = "archived"
    destroyed = "destroyed"


class Document(Base):
    """One issued document of a case."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    template_code: Mapped[str] = mapped_column(String(4))
    template_version: Mapped[str] = mapped_column(String(64))
    # The registry row of the version that rendered it (service.templates)
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    doc_no: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[DocumentStatus] = mapped_column(
        Enum(DocumentStatus, native_enum=False, length=16, name="document_status"),
        default=DocumentStatus.valid,
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    issued_on: Mapped[date] = mapped_column(Date)  # 成文日期: the act's date, not the typing's
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the service recorded it
    issued_by: Mapped[str] = mapped_column(String(128))
    # Corrections: a wrong document is voided (superseded), never deleted; its replacement
    # names it.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(128))
    void_reason: Mapped[str | None] = mapped_column(Text)

    verify_id: Mapped[str] = mapped_column(String(32), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(300))
    storage_version: Mapped[str | None] = mapped_column(String(128))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_storage_key: Mapped[str | None] = mapped_column(String(300))
    # The job that makes the PDF right after issue (service.documents.jobs)
    pdf_job_id: Mapped[int | None] = mapped_column(BigInteger)

    client_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    request_hash: Mapped[str | None] = mapped_column(String(64))
