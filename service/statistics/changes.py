"""What drops kept months: a hook on every session's flush that finds the dates the flushed
changes touch — an act's date, a document's 成文日期 and its voiding, a step's due and done dates
before and after, a case's clue and closure, a review's day — and drops the kept statistics of
the months from the earliest of them on, in the same transaction. A loaded calendar year drops
them all (working days move). Nothing writes these tables without a flush, so no path of the
service (or a later one) can change a counted month behind the cache's back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect, or_, update
from sqlalchemy.orm import Session, UOWTransaction

from service.calendar.models import CalendarYear
from service.cases.models import Case
from service.clock import LOCAL_TZ
from service.documents.models import Document
from service.process.models import Act, CaseStep
from service.reviews.models import ReviewSample
from service.statistics.models import StatisticsMonth

ALL = date.min
WATCHED: dict[type, tuple[str, ...]] = {
    Act: ("occurred_on", "voided_at", "kind", "detail"),
    Document: ("issued_on", "voided_at", "status", "template_code"),
    CaseStep: ("due_on", "done_on", "status", "done_late", "due_at"),
    Case: ("clue_received_on", "closed_on", "outcome", "satisfaction", "section", "handler"),
    ReviewSample: ("reviewed_on", "passed", "score"),
}
DATES: dict[type, tuple[str, ...]] = {
    Act: ("occurred_on",),
    Document: ("issued_on", "voided_at"),
    CaseStep: ("due_on", "done_on"),
    Case: ("closed_on",),
    ReviewSample: ("reviewed_on",),
}


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).date()
    return value if isinstance(value, date) else None


def _touched(obj: Any, new: bool) -> Iterable[date]:
    kind = type(obj)
    if kind is CalendarYear:
        yield ALL
        return
    if kind not in WATCHED:
        return
    state = inspect(obj)
    if not new and not any(state.attrs[a].history.has_changes() for a in WATCHED[kind]):
        return
    if kind is Case and (
        new
        or any(
            state.attrs[a].history.has_changes() for a in ("clue_received_on", "section", "handler")
        )
    ):
        yield obj.clue_received_on
    for name in DATES[kind]:
        history = state.attrs[name].history
        for value in (*history.added, *history.deleted, *history.unchanged):
            day = _day(value)
            if day is not None:
                yield day


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    days = [
        d
        for new, objs in ((True, session.new), (False, session.dirty))
        for obj in objs
        for d in _touched(obj, new)
    ]
    if not days:
        return
    since = min(days)
    stmt = update(StatisticsMonth).values(
        gen=StatisticsMonth.gen + 1, data=None, digest=None, computed_at=None
    )
    if since != ALL:  # the month itself, its days from ``since``, every later month and day
        stmt = stmt.where(
            or_(
                StatisticsMonth.period == f"{since:%Y-%m}",
                StatisticsMonth.period >= since.isoformat(),
            )
        )
    session.connection().execute(stmt)


def install() -> None:
    """Hook every session's flush (once)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
