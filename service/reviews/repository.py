"""Queries of the review draws and samples."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import Case, CaseStatus
from service.reviews.models import DrawKind, ReviewDraw, ReviewSample


def draw_of(session: Session, kind: DrawKind, period: str) -> ReviewDraw | None:
    """The draw of a kind and period, if made."""
    return session.scalar(
        select(ReviewDraw).where(ReviewDraw.kind == kind, ReviewDraw.period == period)
    )


def samples_of(session: Session, draw_id: int) -> list[tuple[ReviewSample, Case]]:
    """A draw's samples with their cases, in the order drawn."""
    stmt = (
        select(ReviewSample, Case)
        .join(Case, Case.id == ReviewSample.case_id)
        .where(ReviewSample.draw_id == draw_id)
        .order_by(ReviewSample.position)
    )
    return [(s, c) for s, c in session.execute(stmt)]


def closed_between(session: Session, start: date, end: date) -> list[int]:
    """Ids of the cases closed from ``start`` to ``end`` (both included), ascending."""
    stmt = (
        select(Case.id)
        .where(
            Case.closed_on.between(start, end),
            Case.status.in_((CaseStatus.closed, CaseStatus.archived)),
        )
        .order_by(Case.id)
    )
    return list(session.scalars(stmt))


def already_drawn(session: Session, kind: DrawKind, case_ids: list[int]) -> set[int]:
    """Those of ``case_ids`` some earlier draw of ``kind`` took."""
    if not case_ids:
        return set()
    stmt = select(ReviewSample.case_id).where(
        ReviewSample.kind == kind, ReviewSample.case_id.in_(case_ids)
    )
    return set(session.scalars(stmt))


def sample(session: Session, sample_id: int, *, for_update: bool = False) -> ReviewSample | None:
    """One sample."""
    stmt = select(ReviewSample).where(ReviewSample.id == sample_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def case_of(session: Session, sample: ReviewSample) -> Case:
    """The case a sample drew (cases are never deleted: it exists)."""
    case = session.get(Case, sample.case_id)
    assert case is not None
    return case


def get_draw(session: Session, draw_id: int) -> ReviewDraw | None:
    """One draw."""
    return session.get(ReviewDraw, draw_id)
