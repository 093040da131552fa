"""Working days, and how Chinese procedural law counts periods on them.

Pure: nothing here reads the database or the clock. A ``Calendar`` answers whether a date is a
working day by asking a ``YearSchedule`` for its year from whatever resolves years
(``service.calendar.service.calendar`` puts loaded data before chinesecalendar before the
provisional statutory rule). Every result says whether any year it looked at was provisional,
so that a deadline computed on a guessed calendar never passes for a final one.

The rules (《民事诉讼法》/《行政诉讼法》 on 期间, 《行政处罚法》 on 工作日):

- the day (or hour) in which an act happens is not counted: a period starts the next day
  (or at the next full hour);
- a period of N working days ends on the Nth working day after the act's day;
- a period of N calendar days whose last day is a rest day or holiday ends on the first working
  day after it;
- a period in hours is counted in clock hours, holidays included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator

from service.clock import LOCAL_TZ
from service.errors import DomainError

# chinesecalendar starts in 2004; the lunar tables of the provisional rule end in 2099.
MIN_YEAR = 2004
MAX_YEAR = 2099
ONE_DAY = timedelta(days=1)


class Source(StrEnum):
    """Where a year's schedule comes from, in order of precedence."""

    loaded = "loaded"  # published by the State Council and loaded by the office
    chinesecalendar = "chinesecalendar"  # the published schedule as the package knows it
    provisional = "provisional"  # weekends and the statutory days only: not yet published


class OutsideCalendar(DomainError):
    """A date outside the years the calendar can answer for."""

    status_code = 422
    code = "outside_calendar"

    def __init__(self, year: int) -> None:
        super().__init__(f"year {year} is outside the calendar ({MIN_YEAR}–{MAX_YEAR})")
        self.year = year


@dataclass(frozen=True)
class YearSchedule:
    """One year's rest days on weekdays and working days on weekends, and where they come from.

    ``holidays`` are the days off of the schedule as published (each holiday period, which may
    list its weekend days too); ``workdays`` are the make-up working days (调休), Saturdays or
    Sundays.
    """

    year: int
    source: Source
    holidays: frozenset[date]
    workdays: frozenset[date]

    @property
    def provisional(self) -> bool:
        """True while the year's official schedule is not known."""
        return self.source is Source.provisional

    def is_working_day(self, day: date) -> bool:
        """A make-up workday works; a holiday rests; otherwise Monday to Friday work."""
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5


class Calendar:
    """Working days across years, each year resolved once (a calendar lives for one request)."""

    def __init__(self, resolve: Callable[[int], YearSchedule]) -> None:
        self._resolve = resolve
        self._years: dict[int, YearSchedule] = {}

    def year(self, year: int) -> YearSchedule:
        """The schedule of ``year``; ``OutsideCalendar`` outside 2004–2099."""
        schedule = self._years.get(year)
        if schedule is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise OutsideCalendar(year)
            schedule = self._years[year] = self._resolve(year)
        return schedule

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is a working day (工作日)."""
        return self.year(day.year).is_working_day(day)


@dataclass(frozen=True)
class DueDate:
    """A date a period gives, and whether a provisional year went into it."""

    date: date
    provisional: bool


@dataclass(frozen=True)
class DueTime:
    """The end of a period in hours (local time). Hours ignore the calendar: never provisional."""

    at: datetime
    provisional: bool = False


@dataclass(frozen=True)
class DayCount:
    """A number of working days, and whether a provisional year went into it."""

    days: int
    provisional: bool


class _Walk:
    """Steps through days on a calendar, remembering whether any year seen was provisional."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.provisional = False

    def working(self, day: date) -> bool:
        schedule = self.calendar.year(day.year)
        self.provisional |= schedule.provisional
        return schedule.is_working_day(day)

    def nth_working_day(self, start: date, n: int, step: timedelta) -> date:
        day = start
        while n > 0:
            day += step
            if self.working(day):
                n -= 1
        return day


def _start(calendar: Calendar, start: date, days: int) -> None:
    """Refuse a start outside the calendar before stepping from it (and past ``date.max``)."""
    if days < 1:
        raise ValueError(f"a period has at least one day, not {days}")
    calendar.year(start.year)


def add_working_days(calendar: Calendar, start: date, days: int) -> DueDate:
    """The end of a period of ``days`` working days from an act on ``start`` (not counted)."""
    _start(calendar, start, days)
    walk = _Walk(calendar)
    end = walk.nth_working_day(start, days, ONE_DAY)
    return DueDate(end, walk.provisional)


def working_days_before(calendar: Calendar, day: date, days: int) -> DueDate:
    """The ``days``-th working day before ``day`` (not counted): the party's report is due 3
    working days before the rectification deadline."""
    _start(calendar, day, days)
    walk = _Walk(calendar)
    end = walk.nth_working_day(day, days, -ONE_DAY)
    return DueDate(end, walk.provisional)


def first_working_day(calendar: Calendar, day: date) -> DueDate:
    """``day`` if it is a working day, else the first working day after it."""
    walk = _Walk(calendar)
    while not walk.working(day):
        day += ONE_DAY
    return DueDate(day, walk.provisional)


def add_calendar_days(calendar: Calendar, start: date, days: int) -> DueDate:
    """The end of a period of ``days`` calendar days from an act on ``start`` (not counted),
    moved to the next working day when its last day is a rest day or holiday."""
    _start(calendar, start, days)
    if days > (date(MAX_YEAR, 12, 31) - start).days:
        raise OutsideCalendar(MAX_YEAR + 1)
    return first_working_day(calendar, start + timedelta(days=days))


def add_hours(start: datetime, hours: int) -> DueTime:
    """The end of a period of ``hours`` clock hours from an act at ``start``: the hour in which
    the act happens is not counted, so the period runs from the next full hour (an act at 09:30
    with 24 hours ends at 10:00 the next day)."""
    if start.tzinfo is None:
        raise ValueError("an act's time must be timezone-aware")
    if hours < 1:
        raise ValueError(f"a period has at least one hour, not {hours}")
    local = start.astimezone(LOCAL_TZ)
    first_hour = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return DueTime(first_hour + timedelta(hours=hours))


def working_days_between(calendar: Calendar, start: date, end: date) -> DayCount:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    earlier. ``working_days_between(c, d, add_working_days(c, d, n).date).days == n``."""
    sign, low, high = (1, start, end) if start <= end else (-1, end, start)
    calendar.year(low.year)  # the walk checks every later day
    walk = _Walk(calendar)
    count, day = 0, low
    while day < high:
        day += ONE_DAY
        count += walk.working(day)
    return DayCount(sign * count, walk.provisional)


def working_days_left(calendar: Calendar, today: date, due: date) -> DayCount:
    """Working days left from ``today`` until ``due``: 0 when due today, 1 when due on the next
    working day (a yellow warning), negative once overdue: -n after n working days late, and
    -1 already on a rest day right after the due date, so that the sign alone says overdue."""
    left = working_days_between(calendar, today, due)
    if due < today and left.days == 0:
        return DayCount(-1, left.provisional)
    return left


def within_calendar(day: date) -> date:
    """``day`` when its year is one the calendar answers for; a ``ValueError`` naming the range
    otherwise (a pydantic validator: the 422 then names the field that carried it)."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"year {day.year} is outside the calendar ({MIN_YEAR}–{MAX_YEAR})")
    return day


# A date a client gives for an act of the process: working days are counted from it.
CalendarDate = Annotated[date, AfterValidator(within_calendar)]
