"""The statistics' queries: each one figure family, grouped in the database by section, handler
and month (and whatever else the figure needs), so that a year over many cases comes back in a
few hundred rows; the service rolls them up into totals and breakdowns.

Months are computed in SQL (``strftime`` on SQLite, ``to_char`` on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from service.cases.models import Case
from service.documents.models import Document, DocumentStatus
from service.process.models import Act, ActKind, CaseStep, StepStatus
from service.reviews.models import DrawKind, ReviewSample


@dataclass(frozen=True)
class Scope:
    """The period (both days included) and the filters."""

    start: date
    end: date
    section: str | None = None
    handler: str | None = None


def _month(session: Session, column: Any) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _filtered(stmt: Any, scope: Scope) -> Any:
    if scope.section is not None:
        stmt = stmt.where(Case.section == scope.section)
    if scope.handler is not None:
        stmt = stmt.where(Case.handler == scope.handler)
    return stmt


def tune(session: Session) -> None:
    """On PostgreSQL, for this transaction: no JIT (compiling the aggregates costs more than
    running them), no parallel workers (starting them costs more than the day or month a
    request counts, and they take the cores other requests need), index reads priced as the
    cached reads they are (else a day's few hundred steps join their cases by hashing all of
    them) and room to sort and hash a year of steps in memory."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL random_page_cost = 1.1"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))


COUNTED_ACTS = (ActKind.clue_received, ActKind.interview_held, ActKind.acceptance_concluded)


def acts(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, month, kind, passed, count) of the effective acts counted directly:
    clues received, interviews held, acceptances concluded (``passed`` for those)."""
    month = _month(session, Act.occurred_on)
    passed = case(
        (Act.kind == ActKind.acceptance_concluded, Act.detail["passed"].as_boolean()),
        else_=None,
    )
    stmt = (
        select(Case.section, Case.handler, month, Act.kind, passed, func.count())
        .join(Case, Case.id == Act.case_id)
        .where(
            Act.kind.in_(COUNTED_ACTS),
            Act.voided_at.is_(None),
            Act.occurred_on.between(scope.start, scope.end),
        )
        .group_by(Case.section, Case.handler, month, Act.kind, passed)
    )
    return list(session.execute(_filtered(stmt, scope)))


def closed(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, month, outcome, count, with a 09, archiving timed, archived in time,
    satisfaction recorded, satisfaction sum) of cases closed."""
    month = _month(session, Act.occurred_on)
    # Probed per case closed (by the documents' case index and the steps' key): a month's
    # closures are a few thousand at most, the 09s and archiving steps of all time many more.
    ledger = exists().where(
        Document.case_id == Case.id,
        Document.template_code == "09",
        Document.status.in_((DocumentStatus.valid, DocumentStatus.archived)),
    )
    archiving = (
        CaseStep.case_id == Case.id,
        CaseStep.step == "archiving",
        CaseStep.due_on.is_not(None),
    )
    timed = exists().where(*archiving)
    in_time = exists().where(
        *archiving, CaseStep.status == StepStatus.done, CaseStep.done_late.is_(False)
    )

    def flag(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    stmt = (
        select(
            Case.section,
            Case.handler,
            month,
            Case.outcome,
            func.count(),
            flag(ledger),
            flag(timed),
            flag(in_time),
            func.count(Case.satisfaction),
            func.coalesce(func.sum(Case.satisfaction), 0),
        )
        .join(Case, Case.id == Act.case_id)
        .where(
            Act.kind == ActKind.case_closed,
            Act.voided_at.is_(None),
            Act.occurred_on.between(scope.start, scope.end),
        )
        .group_by(Case.section, Case.handler, month, Case.outcome)
    )
    return list(session.execute(_filtered(stmt, scope)))


def steps_done(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, month, step, late, count) of time-limited steps done."""
    month = _month(session, CaseStep.done_on)
    stmt = (
        select(Case.section, Case.handler, month, CaseStep.step, CaseStep.done_late, func.count())
        .join(Case, Case.id == CaseStep.case_id)
        .where(
            CaseStep.status == StepStatus.done,
            or_(CaseStep.due_on.is_not(None), CaseStep.due_at.is_not(None)),
            CaseStep.done_on.between(scope.start, scope.end),
        )
        .group_by(Case.section, Case.handler, month, CaseStep.step, CaseStep.done_late)
    )
    return list(session.execute(_filtered(stmt, scope)))


def steps_overdue(
    session: Session, scope: Scope, today: date, now: datetime, *, timed: bool
) -> list[Any]:
    """(section, handler, month due, step, count) of open steps past due now: those due on a
    day (``timed=False``: past due all day long), or those due at a time (urgent cases)."""
    month = _month(session, CaseStep.due_on)
    past_due = (
        and_(CaseStep.due_at.is_not(None), CaseStep.due_at < now)
        if timed
        else and_(CaseStep.due_at.is_(None), CaseStep.due_on < today)
    )
    stmt = (
        select(Case.section, Case.handler, month, CaseStep.step, func.count())
        .join(Case, Case.id == CaseStep.case_id)
        .where(CaseStep.status == StepStatus.open, past_due)
        .group_by(Case.section, Case.handler, month, CaseStep.step)
    )
    return list(session.execute(_filtered(stmt, scope)))


def starts(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, clue date, start date, count): cases whose first effective 04 (the
    interview started) is dated in the period, by their clue's and their start's dates."""
    earlier = aliased(Act)
    first = (
        select(Act.case_id.label("case_id"), Act.occurred_on.label("started_on"))
        .where(
            Act.kind == ActKind.notice_issued,
            Act.voided_at.is_(None),
            Act.occurred_on.between(scope.start, scope.end),
            ~exists().where(
                earlier.case_id == Act.case_id,
                earlier.kind == ActKind.notice_issued,
                earlier.voided_at.is_(None),
                or_(
                    earlier.occurred_on < Act.occurred_on,
                    and_(earlier.occurred_on == Act.occurred_on, earlier.id < Act.id),
                ),
            ),
        )
        .subquery()
    )
    stmt = (
        select(Case.section, Case.handler, Case.clue_received_on, first.c.started_on, func.count())
        .join(first, first.c.case_id == Case.id)
        .group_by(Case.section, Case.handler, Case.clue_received_on, first.c.started_on)
    )
    return list(session.execute(_filtered(stmt, scope)))


def documents_issued(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, month, template, count) of documents issued."""
    month = _month(session, Document.issued_on)
    stmt = (
        select(Case.section, Case.handler, month, Document.template_code, func.count())
        .join(Case, Case.id == Document.case_id)
        .where(Document.issued_on.between(scope.start, scope.end))
        .group_by(Case.section, Case.handler, month, Document.template_code)
    )
    return list(session.execute(_filtered(stmt, scope)))


def documents_voided(session: Session, scope: Scope, since: datetime, until: datetime) -> list[Any]:
    """(section, handler, voided_at, template) of documents voided in ``[since, until)``."""
    stmt = (
        select(Case.section, Case.handler, Document.voided_at, Document.template_code)
        .join(Case, Case.id == Document.case_id)
        .where(Document.voided_at >= since, Document.voided_at < until)
    )
    return list(session.execute(_filtered(stmt, scope)))


def reviews(session: Session, scope: Scope) -> list[Any]:
    """(section, handler, month, passed, count) of case files reviewed (案卷评查) in the period."""
    month = _month(session, ReviewSample.reviewed_on)
    stmt = (
        select(Case.section, Case.handler, month, ReviewSample.passed, func.count())
        .join(Case, Case.id == ReviewSample.case_id)
        .where(
            ReviewSample.kind == DrawKind.review,
            ReviewSample.score.is_not(None),
            ReviewSample.reviewed_on.between(scope.start, scope.end),
        )
        .group_by(Case.section, Case.handler, month, ReviewSample.passed)
    )
    return list(session.execute(_filtered(stmt, scope)))


def late_islands(session: Session, scope: Scope, today: date) -> list[Any]:
    """(section, late, first row, last row, first due, last due) of the islands of steps that
    fell due in the period, per section in the order they fell due (due date, case, position):
    consecutive steps alike (late, or not) share ``all - alike`` row numbers (gaps and
    islands). A step is late when done late or still open past its due date."""
    late = case(
        (
            or_(
                CaseStep.done_late.is_(True),
                and_(CaseStep.status == StepStatus.open, CaseStep.due_on < today),
            ),
            1,
        ),
        else_=0,
    ).label("late")
    order = (CaseStep.due_on, CaseStep.case_id, CaseStep.position)
    row = func.row_number().over(partition_by=Case.section, order_by=order)
    stmt = (
        select(
            Case.section.label("section"),
            CaseStep.due_on.label("due_on"),
            late,
            row.label("row"),
            (row - func.row_number().over(partition_by=(Case.section, late), order_by=order)).label(
                "island"
            ),
        )
        .join(Case, Case.id == CaseStep.case_id)
        .where(
            Case.section.is_not(None),
            CaseStep.due_on.between(scope.start, min(scope.end, today)),
            or_(CaseStep.status == StepStatus.done, CaseStep.due_on <= today),
        )
    )
    steps = _filtered(stmt, scope).subquery()
    islands = (
        select(
            steps.c.section,
            steps.c.late,
            func.min(steps.c.row),
            func.max(steps.c.row),
            func.min(steps.c.due_on),
            func.max(steps.c.due_on),
        )
        .group_by(steps.c.section, steps.c.late, steps.c.island)
        .order_by(steps.c.section, func.min(steps.c.row))
    )
    return list(session.execute(islands))
