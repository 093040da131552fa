"""A template version: one DOCX of one template, as uploaded (or shipped), never deleted."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class VersionStatus(StrEnum):
    """``draft`` until activated; one ``active`` version per template; ``retired`` once
    another is activated (still known: documents it rendered stay authentic)."""

    draft = "draft"
    active = "active"
    retired = "retired"


class VersionSource(StrEnum):
    """Shipped with the service (``builtin``) or uploaded by the legal section."""

    builtin = "builtin"
    upload = "upload"


class TemplateVersion(Base):
    """One version of a template: the DOCX (in the documents bucket), its lint report and
    specimen, who uploaded and activated it and when."""

    __tablename__ = "template_versions"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        # at most one active version per template, whatever two activations race
        Index(
            "uq_template_versions_active",
            "code",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    version: Mapped[str] = mapped_column(String(64))  # SHA-256 of DOCX + field schema
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=16, name="template_version_status")
    )
    source: Mapped[VersionSource] = mapped_column(
        Enum(VersionSource, native_enum=False, length=16, name="template_version_source")
    )
    filename: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    docx_key: Mapped[str] = mapped_column(String(300))
    docx_storage_version: Mapped[str | None] = mapped_column(String(128))
    docx_sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    lint: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    specimen_docx_key: Mapped[str | None] = mapped_column(String(300))
    specimen_pdf_key: Mapped[str | None] = mapped_column(String(300))
    specimen_error: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    activated_by: Mapped[str | None] = mapped_column(String(128))
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
