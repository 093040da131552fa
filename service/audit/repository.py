"""Queries for the audit trail (read-only: the service never updates or deletes entries)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.audit.models import AuditEntry, AuditHead


def lock_head(session: Session) -> AuditHead:
    """The chain's head row, locked until commit so that concurrent appends form one chain.

    (The one write this module makes possible: appending goes through the head.)
    """
    # The head row is created by the first migration.
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()


@dataclass(frozen=True)
class AuditFilter:
    """Filters for listing the trail."""

    actor: str | None = None
    role: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(f: AuditFilter) -> Select[AuditEntry]:
    stmt = select(AuditEntry)
    for column, value in (
        (AuditEntry.actor, f.actor),
        (AuditEntry.role, f.role),
        (AuditEntry.action, f.action),
        (AuditEntry.target_type, f.target_type),
        (AuditEntry.target_id, f.target_id),
        (AuditEntry.outcome, f.outcome),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.since is not None:
        stmt = stmt.where(AuditEntry.at >= f.since)
    if f.until is not None:
        stmt = stmt.where(AuditEntry.at < f.until)
    return stmt


def page(session: Session, f: AuditFilter, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
    """One page of matching entries (oldest first) and the total count."""
    stmt = _filtered(f)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.seq).limit(limit).offset(offset))
    return list(rows), total


def iterate(
    session: Session, f: AuditFilter | None = None, batch: int = 1000
) -> Iterator[AuditEntry]:
    """Every matching entry in chain order, fetched in batches."""
    stmt = _filtered(f or AuditFilter()).order_by(AuditEntry.seq)
    yield from session.scalars(stmt.execution_options(yield_per=batch))


def head(session: Session) -> AuditHead | None:
    """The chain's recorded tip."""
    return session.get(AuditHead, 1)
