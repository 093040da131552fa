"""Batches: up to 1,000 document requests, each issued by a job of its own."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.auth.models import Role, RoleColumn
from service.db import Base, UtcDateTime


class BatchFormat(StrEnum):
    """Which files a batch produces for each document."""

    docx = "docx"
    pdf = "pdf"


class ItemStatus(StrEnum):
    """Where one request of a batch stands."""

    pending = "pending"
    done = "done"
    failed = "failed"


class Batch(Base):
    """A batch submitted by one client; its items are issued as that client."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[BatchFormat] = mapped_column(
        Enum(BatchFormat, native_enum=False, length=8, name="batch_format")
    )
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    principal_kind: Mapped[str] = mapped_column(String(8))
    principal_id: Mapped[int] = mapped_column(Integer)
    principal_name: Mapped[str] = mapped_column(String(64))
    principal_role: Mapped[Role] = mapped_column(RoleColumn)
    request_id: Mapped[str | None] = mapped_column(String(64))
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class BatchItem(Base):
    """One document request of a batch and its outcome."""

    __tablename__ = "batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int] = mapped_column(Integer)
    template: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ItemStatus] = mapped_column(
        Enum(ItemStatus, native_enum=False, length=8, name="item_status"),
        default=ItemStatus.pending,
        index=True,
    )
    job_id: Mapped[int | None] = mapped_column(BigInteger)  # the job issuing it
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
