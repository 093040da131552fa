"""Quarterly reports signed off by a leader: numbered, dated, archived for good."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class QuarterlyReport(Base):
    """A signed quarterly report: its 文号 and 成文日期, and where the archive keeps it (under a
    legal hold with no end: permanent retention)."""

    __tablename__ = "quarterly_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(8), unique=True)
    doc_no: Mapped[str] = mapped_column(String(64), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    retention: Mapped[str] = mapped_column(String(16), default="permanent")
    docx_key: Mapped[str] = mapped_column(String(300))
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_key: Mapped[str] = mapped_column(String(300))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_version_id: Mapped[str | None] = mapped_column(String(128))
    pdf_size: Mapped[int] = mapped_column(Integer)
    signed_by: Mapped[str] = mapped_column(String(128))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
