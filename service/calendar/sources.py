"""The built-in sources of a year's schedule: chinesecalendar, else the statutory days.

chinesecalendar carries the State Council's published schedules (2004–2026 in 1.11) and raises
for any other year. A year it does not know is computed on weekends plus the statutory days of
《全国年节及纪念日放假办法》 as amended with effect from 2025 — never a crash, never silently
wrong: such a schedule is ``provisional`` until the office loads the published one.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
from lunardate import LunarDate

from service.calendar.workdays import Source, YearSchedule

ONE_DAY = timedelta(days=1)


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> date:
    april = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    return next(day for day, name in april if name == "清明")


def statutory_days(year: int) -> list[tuple[str, list[date]]]:
    """The festivals of 《全国年节及纪念日放假办法》 (2025) in ``year``, each with its days."""
    new_year = _lunar(year, 1, 1)
    return [
        ("元旦", [date(year, 1, 1)]),
        # 除夕 (the eve: the day before the first day of the first month) to 初三.
        ("春节", [new_year + ONE_DAY * i for i in range(-1, 3)]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
        ("国庆节", [date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)]),
    ]


@cache
def provisional(year: int) -> YearSchedule:
    """Weekends and the statutory days, with the 补假 of the rules' article 6.

    A statutory day that falls on a Saturday or Sunday, or on another festival's day, is made
    up on the first weekday after the festival that is not already a holiday — what the rules
    require; how the State Council will also swap weekends (调休) cannot be known in advance.
    """
    holidays: set[date] = set()
    for _name, days in sorted(statutory_days(year), key=lambda f: f[1][0]):
        owed = 0
        for day in days:
            if day.weekday() >= 5 or day in holidays:
                owed += 1
            holidays.add(day)
        day = days[-1]
        while owed:
            day += ONE_DAY
            if day.weekday() < 5 and day not in holidays:
                holidays.add(day)
                owed -= 1
    return YearSchedule(year, Source.provisional, frozenset(holidays), frozenset())


@cache
def published(year: int) -> YearSchedule | None:
    """The State Council's schedule for ``year`` as chinesecalendar has it, or ``None``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:  # the package's way of saying "no data for this year"
        return None
    holidays = frozenset(d for d in chinese_calendar.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    return YearSchedule(year, Source.chinesecalendar, holidays, workdays)


def builtin(year: int) -> YearSchedule:
    """chinesecalendar's schedule, else the provisional one."""
    return published(year) or provisional(year)
