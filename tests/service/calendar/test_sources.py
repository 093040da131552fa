"""The built-in sources: chinesecalendar's published schedules and the statutory rule."""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from service.calendar import sources
from service.calendar.workdays import Source

D = date.fromisoformat


def _days(first: str, last: str) -> set[date]:
    start, end = D(first), D(last)
    return {date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)}


def test_2026_is_the_published_schedule() -> None:
    """The notice on the 2026 holidays (November 2025): the dates the counting tests rely on."""
    s = sources.builtin(2026)
    assert s.source is Source.chinesecalendar and not s.provisional
    assert _days("2026-02-15", "2026-02-23") <= s.holidays
    assert _days("2026-10-01", "2026-10-07") <= s.holidays
    assert _days("2026-09-25", "2026-09-27") <= s.holidays
    assert s.workdays == {D(d) for d in ("2026-01-04", "2026-02-14", "2026-02-28",
                                         "2026-05-09", "2026-09-20", "2026-10-10")}  # fmt: skip
    assert D("2026-02-24") not in s.holidays and D("2026-10-08") not in s.holidays


def test_the_published_schedule_agrees_with_chinesecalendar_day_by_day() -> None:
    s = sources.builtin(2026)
    for day in _days("2026-01-01", "2026-12-31"):
        assert s.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_a_year_chinesecalendar_does_not_know_is_provisional() -> None:
    assert sources.published(2027) is None
    s = sources.builtin(2027)
    assert s.source is Source.provisional and s.provisional and not s.workdays


def test_the_provisional_2027_holds_the_statutory_days_and_their_make_up_days() -> None:
    s = sources.provisional(2027)
    assert s.holidays == (
        {D("2027-01-01")}
        # 除夕 Fri 5 February to 初三 Mon 8; 初一 and 初二 fall on the weekend: 9 and 10 off.
        | _days("2027-02-05", "2027-02-10")
        | {D("2027-04-05")}  # 清明
        | _days("2027-05-01", "2027-05-04")  # Sat 1 and Sun 2, made up on 3 and 4
        | {D("2027-06-09"), D("2027-09-15")}  # 端午, 中秋
        | _days("2027-10-01", "2027-10-05")  # Fri 1 to Sun 3, made up on 4 and 5
    )


def test_a_festival_on_another_festivals_day_is_made_up() -> None:
    # 2028: 中秋 falls on 3 October, a National Day holiday; 1 October is a Sunday.
    s = sources.provisional(2028)
    assert _days("2028-10-01", "2028-10-05") <= s.holidays
    assert D("2028-10-06") not in s.holidays


@pytest.mark.parametrize("year", range(2008, 2027))
def test_the_lunar_and_solar_term_festivals_are_holidays_in_every_published_year(
    year: int,
) -> None:
    """Checks the lunar conversion and 清明 against the State Council's own schedules."""
    published = sources.published(year)
    assert published is not None
    statutory = dict(sources.statutory_days(year))
    for name in ("春节", "清明节", "端午节", "中秋节"):
        first_day = statutory[name][1] if name == "春节" else statutory[name][0]  # 初一
        assert not published.is_working_day(first_day), (year, name, first_day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_a_holiday_since_the_2025_amendment(year: int) -> None:
    published = sources.published(year)
    assert published is not None
    for name, days in sources.statutory_days(year):
        for day in days:
            assert not published.is_working_day(day), (name, day)
