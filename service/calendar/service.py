"""The one calendar of the service: loaded years, else chinesecalendar, else provisional.

Other code computes due dates with ``calendar(session)`` and the counting functions of
``service.calendar.workdays``; it never asks chinesecalendar or the weekday directly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service import clock
from service.audit.service import Actor, record
from service.calendar import repository, sources
from service.calendar.cache import loaded_years, schedule_of
from service.calendar.models import CalendarYear
from service.calendar.schemas import ScheduleIn
from service.calendar.workdays import (
    MAX_YEAR,
    MIN_YEAR,
    Calendar,
    DueDate,
    OutsideCalendar,
    YearSchedule,
    add_working_days,
)
from service.errors import Conflict, FieldError


def calendar(session: Session) -> Calendar:
    """The calendar as the database has it now (one per request: years resolve once)."""
    loaded = loaded_years(session)

    def resolve(year: int) -> YearSchedule:
        return loaded.get(year) or sources.builtin(year)

    return Calendar(resolve)


@dataclass(frozen=True)
class YearView:
    """A year's schedule and, for a loaded year, who loaded it when from which notice."""

    schedule: YearSchedule
    row: CalendarYear | None


def describe_year(session: Session, year: int) -> YearView:
    """Where ``year`` comes from and what it holds."""
    _check_year(year)
    row = repository.get(session, year)
    schedule = schedule_of(row) if row is not None else sources.builtin(year)
    return YearView(schedule, row)


def _problem(field: str, message: str, label: str | None) -> dict[str, Any]:
    return {"field": field, "message": message, "type": "value_error", "label": label}


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError([_problem("year", f"must be between {MIN_YEAR} and {MAX_YEAR}", "年度")])


def schedule_problems(year: int, body: ScheduleIn) -> list[dict[str, Any]]:
    """Every reason the schedule cannot be the one published for ``year``."""
    out = []
    holidays = set(body.holidays)
    for i, day in enumerate(body.holidays):
        if day.year != year:
            out.append(_problem(f"holidays[{i}]", f"{day} is not in {year}", "放假日期"))
    for i, day in enumerate(body.workdays):
        if day.year != year:
            out.append(_problem(f"workdays[{i}]", f"{day} is not in {year}", "调休上班日期"))
        elif day in holidays:
            msg = f"{day} is also listed in holidays"
            out.append(_problem(f"workdays[{i}]", msg, "调休上班日期"))
        elif day.weekday() < 5:
            # Almost always the two lists swapped or a typo: a weekday works anyway.
            msg = f"{day} is a weekday: list only Saturdays and Sundays made working days (调休)"
            out.append(_problem(f"workdays[{i}]", msg, "调休上班日期"))
    return out


def load_year(session: Session, actor: Actor, year: int, body: ScheduleIn) -> YearView:
    """Load (or replace) the published schedule of ``year``, audited in the same transaction."""
    _check_year(year)
    problems = schedule_problems(year, body)
    if problems:
        raise FieldError(problems)
    replaced = repository.get(session, year) is not None
    row = CalendarYear(
        year=year,
        holidays=sorted({d.isoformat() for d in body.holidays}),
        workdays=sorted({d.isoformat() for d in body.workdays}),
        notice=body.notice,
        version=uuid.uuid4().hex,
        loaded_at=clock.now(),
        loaded_by=actor.principal.label,
    )
    try:
        row = repository.save(session, row)
    except IntegrityError:  # another load of the same new year committed first
        raise Conflict(f"the {year} schedule was loaded concurrently; retry") from None
    record(
        session,
        actor,
        "calendar.load",
        "calendar_year",
        year,
        {
            "holidays": len(row.holidays),
            "workdays": len(row.workdays),
            "notice": body.notice,
            "replaced": replaced,
        },
    )
    return YearView(schedule_of(row), row)


def working_days_from(session: Session, start: date, days: int) -> DueDate:
    """``add_working_days`` on the current calendar, its range errors naming the query fields."""
    try:
        return add_working_days(calendar(session), start, days)
    except OutsideCalendar as exc:
        if exc.year == start.year:
            problem = _problem("query.from", str(exc.detail), "起算日期")
        else:
            problem = _problem("query.days", str(exc.detail), "工作日数")
        raise FieldError([problem]) from None
