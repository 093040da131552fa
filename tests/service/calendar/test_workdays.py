"""The counting rules, on the real 2026 schedule (chinesecalendar) and the provisional 2027."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from service.calendar import sources
from service.calendar.workdays import (
    Calendar,
    OutsideCalendar,
    Source,
    YearSchedule,
    add_calendar_days,
    add_hours,
    add_working_days,
    first_working_day,
    working_days_before,
    working_days_between,
    working_days_left,
)
from service.clock import LOCAL_TZ

D = date.fromisoformat


@pytest.fixture
def cal() -> Calendar:
    """The built-in calendar: chinesecalendar up to 2026, provisional after."""
    return Calendar(sources.builtin)


# --- the 2026 Spring Festival: off Sun 15 to Mon 23 February, Saturdays 14 and 28 work ---


def test_a_make_up_saturday_before_the_spring_festival_is_a_working_day(cal: Calendar) -> None:
    assert add_working_days(cal, D("2026-02-13"), 1).date == D("2026-02-14")


def test_working_days_skip_the_whole_spring_festival(cal: Calendar) -> None:
    # Verification within 3 wd of a clue received on Thursday 12 February: 13, 14 (Sat), 24.
    due = add_working_days(cal, D("2026-02-12"), 3)
    assert due.date == D("2026-02-24") and due.provisional is False


def test_the_make_up_saturday_after_the_spring_festival_counts(cal: Calendar) -> None:
    # Interview within 5 wd of service on the make-up Saturday: 24, 25, 26, 27, 28 (Sat).
    assert add_working_days(cal, D("2026-02-14"), 5).date == D("2026-02-28")


def test_the_report_is_due_three_working_days_before_across_the_festival(cal: Calendar) -> None:
    # Deadline Thursday 26 February: 25 (1), 24 (2), then back over the holiday to 14 (3).
    assert working_days_before(cal, D("2026-02-26"), 3).date == D("2026-02-14")


def test_working_days_between_count_the_make_up_days_and_not_the_holidays(cal: Calendar) -> None:
    assert working_days_between(cal, D("2026-02-13"), D("2026-02-24")).days == 2
    assert working_days_between(cal, D("2026-02-24"), D("2026-02-13")).days == -2
    assert working_days_between(cal, D("2026-02-13"), D("2026-02-13")).days == 0


def test_working_days_between_inverts_add_working_days(cal: Calendar) -> None:
    start = D("2026-02-01")
    for n in range(1, 40):
        end = add_working_days(cal, start, n).date
        assert working_days_between(cal, start, end).days == n


# --- the 2026 National Day: off 1 to 7 October, Sunday 20 September and Saturday 10 work ---


def test_the_make_up_sunday_before_national_day_is_a_working_day(cal: Calendar) -> None:
    assert add_working_days(cal, D("2026-09-18"), 1).date == D("2026-09-20")


def test_working_days_skip_national_day_and_count_the_make_up_saturday(cal: Calendar) -> None:
    # Interview within 5 wd of service on Tuesday 29 September: 30, 8, 9, 10 (Sat), 12.
    assert add_working_days(cal, D("2026-09-29"), 5).date == D("2026-10-12")
    assert add_working_days(cal, D("2026-09-30"), 3).date == D("2026-10-10")


def test_mid_autumn_2026_weekend_is_off(cal: Calendar) -> None:
    assert add_working_days(cal, D("2026-09-24"), 1).date == D("2026-09-28")


# --- calendar days: a last day on a rest day or holiday moves to the next working day ---


def test_a_calendar_day_period_ending_in_national_day_ends_after_it(cal: Calendar) -> None:
    # 30 days from 1 September end on 1 October, a holiday: the period ends on 8 October.
    assert add_calendar_days(cal, D("2026-09-01"), 30).date == D("2026-10-08")


def test_a_calendar_day_period_ending_in_the_spring_festival_ends_after_it(cal: Calendar) -> None:
    assert add_calendar_days(cal, D("2026-01-16"), 30).date == D("2026-02-24")


def test_a_calendar_day_period_ending_on_a_saturday_ends_on_monday(cal: Calendar) -> None:
    assert add_calendar_days(cal, D("2026-02-05"), 30).date == D("2026-03-09")


def test_a_calendar_day_period_ending_on_a_make_up_saturday_ends_that_day(cal: Calendar) -> None:
    assert add_calendar_days(cal, D("2026-01-29"), 30).date == D("2026-02-28")


def test_a_calendar_day_period_ending_on_a_working_day_is_not_moved(cal: Calendar) -> None:
    assert add_calendar_days(cal, D("2026-03-01"), 30).date == D("2026-03-31")


def test_first_working_day_keeps_a_working_day(cal: Calendar) -> None:
    assert first_working_day(cal, D("2026-02-14")).date == D("2026-02-14")
    assert first_working_day(cal, D("2026-02-15")).date == D("2026-02-24")


# --- clock hours: the urgent interview ---


def test_24_hours_run_from_the_next_full_hour_holidays_included() -> None:
    served = datetime(2026, 2, 14, 9, 30, tzinfo=LOCAL_TZ)
    due = add_hours(served, 24)
    assert due.at == datetime(2026, 2, 15, 10, 0, tzinfo=LOCAL_TZ)  # a holiday: no matter
    assert due.provisional is False


def test_hours_are_counted_in_local_time_whatever_the_input_zone() -> None:
    served = datetime(2026, 9, 30, 23, 59, tzinfo=UTC)  # 07:59 on 1 October in Beijing
    assert add_hours(served, 24).at == datetime(2026, 10, 2, 8, 0, tzinfo=LOCAL_TZ)


def test_an_act_on_the_hour_is_counted_from_the_next_hour() -> None:
    served = datetime(2026, 3, 2, 10, 0, tzinfo=LOCAL_TZ)
    assert add_hours(served, 24).at - served == timedelta(hours=25)


def test_hours_refuse_a_naive_time() -> None:
    with pytest.raises(ValueError):
        add_hours(datetime(2026, 3, 2, 10, 0), 24)


# --- provisional years ---


def test_a_period_into_an_unpublished_year_is_provisional(cal: Calendar) -> None:
    due = add_working_days(cal, D("2026-12-30"), 3)
    # 31 December, then 1 January 2027 (statutory) is off: 4 and 5 January.
    assert (due.date, due.provisional) == (D("2027-01-05"), True)


def test_a_period_within_a_published_year_is_not_provisional(cal: Calendar) -> None:
    assert add_working_days(cal, D("2026-12-01"), 10).provisional is False


def test_a_calendar_day_period_is_provisional_only_if_its_end_is(cal: Calendar) -> None:
    assert add_calendar_days(cal, D("2026-11-25"), 30).provisional is False  # 25 December
    assert add_calendar_days(cal, D("2026-12-10"), 30).provisional is True  # 9 January 2027


def test_loaded_data_makes_a_year_final(cal: Calendar) -> None:
    off = frozenset({D("2027-01-01"), D("2027-01-04"), D("2027-01-05")})
    loaded = YearSchedule(2027, Source.loaded, off, frozenset({D("2027-01-09")}))
    final = Calendar(lambda y: loaded if y == 2027 else sources.builtin(y))
    due = add_working_days(final, D("2026-12-30"), 3)
    assert (due.date, due.provisional) == (D("2027-01-07"), False)  # 31 December, 6, 7
    assert add_working_days(final, D("2027-01-08"), 1).date == D("2027-01-09")  # make-up Sat


def test_years_outside_the_calendar_are_refused_not_guessed(cal: Calendar) -> None:
    with pytest.raises(OutsideCalendar) as exc:
        add_working_days(cal, D("2099-12-30"), 5)
    assert exc.value.status_code == 422 and exc.value.year == 2100
    with pytest.raises(OutsideCalendar):
        cal.is_working_day(D("2003-06-02"))
    for fn in (add_working_days, add_calendar_days, working_days_before):
        with pytest.raises(OutsideCalendar):
            fn(cal, date.max, 1)  # refused before stepping past the end of time
    with pytest.raises(OutsideCalendar):
        add_calendar_days(cal, D("2099-12-01"), 10**6)
    with pytest.raises(OutsideCalendar):
        working_days_between(cal, date.max, D("2026-01-01"))


def test_periods_have_at_least_one_day(cal: Calendar) -> None:
    for fn in (add_working_days, working_days_before, add_calendar_days):
        with pytest.raises(ValueError):
            fn(cal, D("2026-03-02"), 0)


# --- working days left (yellow and red warnings) ---


def test_working_days_left_is_zero_on_the_due_day_and_one_the_working_day_before(
    cal: Calendar,
) -> None:
    assert working_days_left(cal, D("2026-02-24"), D("2026-02-24")).days == 0
    # Friday 13 February, due Tuesday 24: the make-up Saturday 14 and the 24th are left.
    assert working_days_left(cal, D("2026-02-13"), D("2026-02-24")).days == 2
    assert working_days_left(cal, D("2026-02-14"), D("2026-02-24")).days == 1


def test_working_days_left_is_negative_once_overdue_even_on_a_holiday(cal: Calendar) -> None:
    assert working_days_left(cal, D("2026-10-01"), D("2026-09-30")).days == -1
    assert working_days_left(cal, D("2026-10-09"), D("2026-09-30")).days == -2
