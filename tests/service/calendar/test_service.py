"""The one calendar: precedence of its sources, and every process seeing a load at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.calendar.schemas import ScheduleIn
from service.calendar.service import calendar, describe_year, load_year
from service.calendar.workdays import Source, add_working_days
from service.db import make_engine, make_sessionmaker, transaction

ADMIN = Actor(Principal("user", 1, "calendar-admin", Role.admin))
D = date.fromisoformat


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[sessionmaker[Session], ...]]:
    """Two engines on one database, as two service processes would have."""
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        yield tuple(make_sessionmaker(e) for e in engines)
    finally:
        for e in engines:
            e.dispose()


def test_a_load_in_one_process_is_seen_by_the_next_request_of_another(
    two_processes: tuple[sessionmaker[Session], ...],
) -> None:
    a, b = two_processes
    with a() as s:  # process A caches the provisional 2027
        due = add_working_days(calendar(s), D("2027-02-04"), 3)
        assert (due.date, due.provisional) == (D("2027-02-15"), True)
    off = [D("2027-02-11"), D("2027-02-12"), D("2027-02-15")]
    with transaction(b) as s:  # process B loads it
        load_year(s, ADMIN, 2027, ScheduleIn(holidays=off))
    with a() as s:
        due = add_working_days(calendar(s), D("2027-02-04"), 3)
        assert (due.date, due.provisional) == (D("2027-02-09"), False)  # 5, 8 and 9 work
        assert add_working_days(calendar(s), D("2027-02-10"), 1).date == D("2027-02-16")


def test_a_current_cache_costs_one_small_query_per_request(
    two_processes: tuple[sessionmaker[Session], ...],
) -> None:
    a, _ = two_processes
    with transaction(a) as s:
        load_year(s, ADMIN, 2027, ScheduleIn(holidays=[D("2027-01-01")]))
    with a() as s:
        calendar(s)  # fills the cache
    statements: list[str] = []
    engine = a.kw["bind"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with a() as s:
            calendar(s).is_working_day(D("2027-01-01"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    reads = [q for q in statements if "calendar_years" in q]
    assert len(reads) == 1 and "holidays" not in reads[0]


def test_a_rolled_back_load_is_never_served(
    two_processes: tuple[sessionmaker[Session], ...],
) -> None:
    a, _ = two_processes
    with a() as s:
        load_year(s, ADMIN, 2027, ScheduleIn(holidays=[D("2027-03-01")]))
        assert not calendar(s).is_working_day(D("2027-03-01"))  # seen inside its transaction
        s.rollback()
    with a() as s:
        assert calendar(s).is_working_day(D("2027-03-01"))
        assert calendar(s).year(2027).source is Source.provisional


def test_describe_year_names_the_source_of_each_year(
    two_processes: tuple[sessionmaker[Session], ...],
) -> None:
    a, _ = two_processes
    with transaction(a) as s:
        load_year(s, ADMIN, 2028, ScheduleIn(holidays=[D("2028-01-03")], notice="通知"))
    with a() as s:
        assert describe_year(s, 2026).schedule.source is Source.chinesecalendar
        assert describe_year(s, 2027).schedule.source is Source.provisional
        loaded = describe_year(s, 2028)
        assert loaded.schedule.source is Source.loaded and loaded.row is not None
        assert (loaded.row.loaded_by, loaded.row.notice) == ("user:calendar-admin", "通知")
