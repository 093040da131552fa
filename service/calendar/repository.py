"""Queries for loaded calendar years."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.calendar.models import CalendarYear


def get(session: Session, year: int) -> CalendarYear | None:
    """The loaded schedule of ``year``, if any."""
    return session.get(CalendarYear, year)


def versions(session: Session) -> tuple[tuple[int, str], ...]:
    """Each loaded year with its version: the cheap check that a cached copy is current."""
    stmt = select(CalendarYear.year, CalendarYear.version).order_by(CalendarYear.year)
    return tuple((year, version) for year, version in session.execute(stmt))


def all_years(session: Session) -> list[CalendarYear]:
    """Every loaded year."""
    return list(session.scalars(select(CalendarYear).order_by(CalendarYear.year)))


def save(session: Session, row: CalendarYear) -> CalendarYear:
    """Insert or replace a loaded year."""
    merged = session.merge(row)
    session.flush()
    return merged
