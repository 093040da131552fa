"""The case (案件): one case, one file."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, Enum, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class CaseStatus(StrEnum):
    """Where a case stands; transitions go through ``cases.flows``."""

    open = "open"
    closed = "closed"
    archived = "archived"
    destroyed = "destroyed"


class CaseOutcome(StrEnum):
    """How a case ended."""

    passed = "passed"  # rectification accepted
    penalty = "penalty"  # penalty procedure started
    other = "other"


class PartyKind(StrEnum):
    """Kinds of party (当事人)."""

    enterprise = "enterprise"
    individual_business = "individual_business"
    social_org = "social_org"
    other = "other"


class Case(Base):
    """An administrative-interview case and the party it concerns."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("client_id", "external_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    agency_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[CaseStatus] = mapped_column(
        Enum(CaseStatus, native_enum=False, length=16, name="case_status"),
        default=CaseStatus.open,
    )

    party_name: Mapped[str] = mapped_column(String(200))
    party_kind: Mapped[PartyKind] = mapped_column(
        Enum(PartyKind, native_enum=False, length=32, name="party_kind")
    )
    party_id_code: Mapped[str | None] = mapped_column(String(64))
    party_representative: Mapped[str | None] = mapped_column(String(100))
    party_address: Mapped[str | None] = mapped_column(String(300))
    party_phone: Mapped[str | None] = mapped_column(String(40))

    cause: Mapped[str] = mapped_column(Text)
    # The template pack the case uses (doc_templates.packs): 约谈, 行政指导, 行政调解
    pack: Mapped[str] = mapped_column(String(16), default="interview", server_default="interview")
    section: Mapped[str | None] = mapped_column(String(100), index=True)  # 承办科室
    handler: Mapped[str | None] = mapped_column(String(100), index=True)  # 承办人
    clue_received_on: Mapped[date] = mapped_column(Date)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    livelihood: Mapped[bool] = mapped_column(Boolean, default=False)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)

    outcome: Mapped[CaseOutcome | None] = mapped_column(
        Enum(CaseOutcome, native_enum=False, length=16, name="case_outcome")
    )
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when it was recorded
    closed_on: Mapped[date | None] = mapped_column(Date)  # 结案日期: the act's own date
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 0–100, where surveyed
    archive_error: Mapped[str | None] = mapped_column(Text)

    external_ref: Mapped[str | None] = mapped_column(String(128))
    client_id: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
