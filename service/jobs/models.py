"""What the job engine's own tables do not keep: each job's last error and its result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class JobOutcome(Base):
    """The outcome of a job's latest attempt, keyed by procrastinate's job id.

    Procrastinate keeps status, attempts and events (``procrastinate_jobs``,
    ``procrastinate_events``) but not why an attempt failed nor what a job produced; this row
    does, written by the attempt itself (``service.jobs.registry``).
    """

    __tablename__ = "job_outcomes"

    job_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    task_name: Mapped[str] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer)  # attempts that reached an end
    last_error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
