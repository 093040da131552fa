"""Loaded years cached per process, re-read when another load changed them.

Every request that needs the calendar reads each loaded year's ``version`` (a primary-key scan
of a table of a few dozen rows) and re-reads the years only when that list changed. Why not a
TTL: with several processes, a TTL leaves a window in which two processes give the same case
different deadlines — one sends a red warning the other does not. The per-request check costs
one tiny query and makes a load visible to every process at once, in the next request.

Years chinesecalendar or the provisional rule give are pure functions of the year and are
cached for the life of the process (``sources``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.calendar import repository
from service.calendar.models import CalendarYear
from service.calendar.workdays import Source, YearSchedule

Versions = tuple[tuple[int, str], ...]

_lock = threading.Lock()
# Keyed by engine, not URL: tests (and tools) open several databases in one process.
_cached: WeakKeyDictionary[Engine, tuple[Versions, Mapping[int, YearSchedule]]] = (
    WeakKeyDictionary()
)


def schedule_of(row: CalendarYear) -> YearSchedule:
    """The schedule a loaded row describes."""
    return YearSchedule(
        row.year,
        Source.loaded,
        frozenset(date.fromisoformat(d) for d in row.holidays),
        frozenset(date.fromisoformat(d) for d in row.workdays),
    )


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def loaded_years(session: Session) -> Mapping[int, YearSchedule]:
    """The loaded years as the database has them now, from the cache when it is current."""
    engine = _engine(session)
    current = repository.versions(session)
    with _lock:
        hit = _cached.get(engine)
    if hit is not None and hit[0] == current:
        return hit[1]
    rows = repository.all_years(session)
    # The versions of the rows just read, which may be newer than ``current``.
    versions = tuple((r.year, r.version) for r in rows)
    years = {r.year: schedule_of(r) for r in rows}
    with _lock:
        _cached[engine] = (versions, years)
    return years
