"""Destruction lists (销毁清册), supervisor confirmations and the permanent register."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class ListStatus(StrEnum):
    """Where a destruction list stands; transitions in ``destruction.flows``."""

    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    executing = "executing"
    executed = "executed"


class DestructionList(Base):
    """A 销毁清册: archives proposed for destruction, with its approval and execution."""

    __tablename__ = "destruction_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_no: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    appraisal: Mapped[str] = mapped_column(Text)
    status: Mapped[ListStatus] = mapped_column(
        Enum(ListStatus, native_enum=False, length=16, name="list_status"), index=True
    )
    proposed_by: Mapped[str] = mapped_column(String(128))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    executed_by: Mapped[str | None] = mapped_column(String(128))
    executed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    record_key: Mapped[str | None] = mapped_column(String(300))
    record_version: Mapped[str | None] = mapped_column(String(128))
    record_sha256: Mapped[str | None] = mapped_column(String(64))


class DestructionItem(Base):
    """One archive on a list; ``destroyed_at`` set once its register entry exists."""

    __tablename__ = "destruction_items"
    __table_args__ = (UniqueConstraint("list_id", "archive_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id"), index=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), index=True)
    destroyed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SupervisorConfirmation(Base):
    """A supervisor's own confirmation (三人以上监销), one per person per list."""

    __tablename__ = "supervisor_confirmations"
    __table_args__ = (UniqueConstraint("list_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(128))
    confirmed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    request_id: Mapped[str | None] = mapped_column(String(64))


class RegisterEntry(Base):
    """The destruction register (销毁登记): kept forever; the service never deletes a row."""

    __tablename__ = "destruction_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(ForeignKey("archives.id"), unique=True)
    archive_no: Mapped[str] = mapped_column(String(64), unique=True)
    case_no: Mapped[str] = mapped_column(String(64))
    party_name: Mapped[str] = mapped_column(String(200))
    retention_class: Mapped[str] = mapped_column(String(8))
    closed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    list_id: Mapped[int] = mapped_column(ForeignKey("destruction_lists.id"), index=True)
    list_no: Mapped[str] = mapped_column(String(64))
    proposed_by: Mapped[str] = mapped_column(String(128))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str] = mapped_column(String(128))
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    supervisors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    executed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    store_answer: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    versions_deleted: Mapped[int] = mapped_column(Integer)
