"""Queries on jobs: procrastinate's tables (read only) and the outcomes kept beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    String,
    cast,
    column,
    delete,
    func,
    select,
    table,
)
from sqlalchemy.orm import Session

from service.jobs.models import JobOutcome

# Procrastinate owns these tables (migration 0010); the service only reads them.
jobs_table = table(
    "procrastinate_jobs",
    column("id", BigInteger),
    column("task_name", String),
    column("queue_name", String),
    column("status", String),
    column("queueing_lock", String),
    column("attempts", Integer),
    column("args", JSON),
    column("scheduled_at", String),
)
events_table = table(
    "procrastinate_events",
    column("job_id", BigInteger),
    column("type", String),
    column("at", String),
)


@dataclass(frozen=True)
class JobRow:
    """A job as procrastinate keeps it, with its event times and the kept outcome."""

    id: int
    task_name: str
    status: str
    attempts: int
    args: dict[str, Any]
    scheduled_at: datetime | None
    events: dict[str, datetime]
    outcome: JobOutcome | None


def _time(value: Any) -> datetime | None:
    """A timestamp column: a datetime on PostgreSQL, text on SQLite."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def get_job(session: Session, job_id: int) -> JobRow | None:
    """The job with ``job_id``, or None (never deferred, or purged)."""
    row = session.execute(
        select(
            jobs_table.c.id,
            jobs_table.c.task_name,
            jobs_table.c.status,
            jobs_table.c.attempts,
            jobs_table.c.args,
            jobs_table.c.scheduled_at,
        ).where(jobs_table.c.id == job_id)
    ).first()
    if row is None:
        return None
    times = session.execute(
        select(events_table.c.type, func.max(events_table.c.at))
        .where(events_table.c.job_id == job_id)
        .group_by(events_table.c.type)
    ).all()
    events = {str(t): at for t, raw in times if (at := _time(raw)) is not None}
    args = row.args if isinstance(row.args, dict) else {}
    return JobRow(
        id=int(row.id),
        task_name=row.task_name,
        status=str(row.status),
        attempts=int(row.attempts),
        args=args,
        scheduled_at=_time(row.scheduled_at),
        events=events,
        outcome=session.get(JobOutcome, job_id),
    )


def outcome_for_update(session: Session, job_id: int) -> JobOutcome | None:
    """A job's kept outcome, locked for the attempt that writes it."""
    return session.scalars(
        select(JobOutcome).where(JobOutcome.job_id == job_id).with_for_update()
    ).first()


def waiting_with_queueing_lock(session: Session, queueing_lock: str) -> int | None:
    """The job waiting under this queueing lock, if any."""
    found = session.scalar(
        select(jobs_table.c.id).where(
            # status is an enum on PostgreSQL, text on SQLite: compare it as text
            cast(jobs_table.c.status, String) == "todo",
            jobs_table.c.queueing_lock == queueing_lock,
        )
    )
    return int(found) if found is not None else None


def delete_orphan_outcomes(session: Session) -> None:
    """Drop the outcomes of jobs procrastinate no longer keeps."""
    session.execute(
        delete(JobOutcome).where(
            ~select(jobs_table.c.id).where(jobs_table.c.id == JobOutcome.job_id).exists()
        )
    )
