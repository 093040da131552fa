"""Queries for acts and steps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.archives.models import Archive, ArchiveVersion
from service.cases.models import Case
from service.process.models import Act, CaseStep, StepStatus


def acts_of(session: Session, case_id: int) -> list[Act]:
    """A case's acts (voided ones too), in the order they happened."""
    stmt = select(Act).where(Act.case_id == case_id)
    return list(session.scalars(stmt.order_by(Act.occurred_on, Act.id)))


def acts_of_document(session: Session, document_id: int) -> list[Act]:
    """The acts a document recorded."""
    return list(session.scalars(select(Act).where(Act.document_id == document_id)))


def first_archived_on(session: Session, case_id: int) -> datetime | None:
    """When a case was first archived (its archive's first version)."""
    stmt = (
        select(ArchiveVersion.archived_at)
        .join(Archive, Archive.id == ArchiveVersion.archive_id)
        .where(Archive.case_id == case_id)
        .order_by(ArchiveVersion.version_no)
        .limit(1)
    )
    return session.scalar(stmt)


def steps_of(session: Session, case_id: int) -> dict[str, CaseStep]:
    """A case's materialised steps, by name."""
    rows = session.scalars(select(CaseStep).where(CaseStep.case_id == case_id))
    return {row.step: row for row in rows}


def warned_steps(
    session: Session,
    due_by: date,
    due_at_by: datetime,
    section: str | None = None,
    handler: str | None = None,
) -> list[tuple[CaseStep, Case]]:
    """Open steps due by ``due_by`` (or, timed, by ``due_at_by``): the yellow and red ones are
    among them; with their cases, filtered by section and handler."""
    stmt = (
        select(CaseStep, Case)
        .join(Case, Case.id == CaseStep.case_id)
        .where(
            CaseStep.status == StepStatus.open,
            or_(
                CaseStep.due_at <= due_at_by,
                (CaseStep.due_at.is_(None)) & (CaseStep.due_on <= due_by),
            ),
        )
    )
    if section is not None:
        stmt = stmt.where(Case.section == section)
    if handler is not None:
        stmt = stmt.where(Case.handler == handler)
    stmt = stmt.order_by(CaseStep.due_on, CaseStep.case_id, CaseStep.position)
    return [(s, c) for s, c in session.execute(stmt)]


def due_steps_by_section(session: Session, today: date) -> list[tuple[CaseStep, Case]]:
    """Every step that has fallen due (done, or open and due by ``today``) with its case, by
    section and due date: the sequence in which 连续超期 is judged."""
    stmt = (
        select(CaseStep, Case)
        .join(Case, Case.id == CaseStep.case_id)
        .where(
            Case.section.is_not(None),
            CaseStep.due_on.is_not(None),
            or_(CaseStep.status == StepStatus.done, CaseStep.due_on <= today),
        )
        .order_by(Case.section, CaseStep.due_on, CaseStep.case_id, CaseStep.position)
    )
    return [(s, c) for s, c in session.execute(stmt)]


def cases_with_running_steps(session: Session) -> list[int]:
    """Cases with a step still open or due on a provisional calendar (a loaded year may move
    their due dates)."""
    stmt = select(CaseStep.case_id).where(
        or_(CaseStep.status == StepStatus.open, CaseStep.provisional.is_(True))
    )
    return sorted(set(session.scalars(stmt)))


def mark_notified(session: Session, case_id: int, step: str, level: str, below: list[str]) -> bool:
    """Record that ``level`` was reported for a step, unless another process did first: the
    conditional update is what keeps a warning from being reported twice."""
    stmt = (
        update(CaseStep)
        .where(
            CaseStep.case_id == case_id,
            CaseStep.step == step,
            or_(CaseStep.notified.is_(None), CaseStep.notified.in_(below)),
        )
        .values(notified=level)
    )
    result = session.execute(stmt)
    return bool(getattr(result, "rowcount", 0))
