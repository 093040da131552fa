"""Every figure of the statistics against the office of ``office.py``, counted by hand from its
acts' dates: Q3 2026 (07-01..09-30) and Q4 (10-01..12-31), judged on 2026-11-16."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.auth.models import Role

Q3 = {"from": "2026-07-01", "to": "2026-09-30"}
Q4 = {"from": "2026-10-01", "to": "2026-12-31"}


@pytest.fixture
def leader(user_headers) -> dict[str, str]:
    """Bearer header of a leader."""
    return dict(user_headers(Role.leader))


def _stats(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/statistics", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _slice(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(r for r in rows if r["key"] == key)


def test_cases_opened_and_closed_count_on_their_own_dates(client, leader, office) -> None:
    q3 = _stats(client, leader, **Q3)["totals"]
    # opened in Q3: A 07-01, B 07-06, C 08-03, E 08-03 (F's clue is 06-30)
    assert q3["cases_opened"] == 4
    # closed in Q3: A (passed), B (penalty); C closed 10-09 belongs to Q4
    assert (q3["cases_closed"], q3["closed_passed"], q3["closed_penalty"]) == (2, 1, 1)
    q4 = _stats(client, leader, **Q4)["totals"]
    assert (q4["cases_opened"], q4["cases_closed"], q4["closed_passed"]) == (0, 1, 1)


def test_a_voided_interview_record_is_not_an_interview_held(client, leader, office) -> None:
    # A 07-10, B 07-22 (its voided 07-21 record not counted), C 08-11
    assert _stats(client, leader, **Q3)["totals"]["interviews_held"] == 3


def test_rectification_pass_rate_counts_acceptances_concluded(client, leader, office) -> None:
    t = _stats(client, leader, **Q3)["totals"]
    assert (t["acceptances"], t["acceptances_passed"]) == (3, 2)  # A, C passed; B failed
    assert t["rectification_pass_rate"] == 0.6667


def test_overdue_rate_counts_steps_done_late_by_step(client, leader, office) -> None:
    stats = _stats(client, leader, **Q3)
    t = stats["totals"]
    # done in Q3: A 10 (archiving 08-20), B 9, C 9 (its archiving is in Q4), E 4, F 4;
    # late: B verification, service, report; E verification, legal review, approval; F notice
    assert (t["steps_done"], t["steps_done_late"]) == (36, 7)
    assert t["overdue_rate"] == round(7 / 36, 4)
    steps = {s["step"]: s for s in stats["by_step"]}
    assert (steps["verification"]["done"], steps["verification"]["done_late"]) == (5, 2)
    assert (steps["service"]["done"], steps["service"]["done_late"]) == (3, 1)
    assert (steps["notice"]["done"], steps["notice"]["done_late"]) == (5, 1)
    assert steps["report"]["overdue_rate"] == round(1 / 3, 4)


def test_steps_overdue_now_are_the_open_steps_past_due_today(client, leader, office) -> None:
    stats = _stats(client, leader, **Q3)
    # B's archiving (due 09-16), E's service (08-19), F's service (07-08)
    assert stats["totals"]["steps_overdue_now"] == 3
    steps = {s["step"]: s for s in stats["by_step"]}
    assert (steps["service"]["overdue_now"], steps["archiving"]["overdue_now"]) == (2, 1)


def test_clue_to_start_counts_working_days_on_the_office_calendar(client, leader, office) -> None:
    t = _stats(client, leader, **Q3)["totals"]
    # A 5, B 10, C 4, E 11, F 23 working days (F's clue in Q2, its 04 in Q3)
    assert t["clue_to_start_cases"] == 5
    assert (t["clue_to_start_median_wd"], t["clue_to_start_p90_wd"]) == (10, 23)
    assert (t["clue_to_start_within_15"], t["clue_to_start_within_15_share"]) == (4, 0.8)


def test_a_voided_document_is_issued_when_made_and_voided_when_voided(
    client, leader, office
) -> None:
    q3 = _stats(client, leader, **Q3)
    # issued in Q3: A's 09, B's 07 and 09; voided in Q3: B's 07 (B's 09 was voided in October)
    assert (q3["totals"]["documents_issued"], q3["totals"]["documents_voided"]) == (3, 1)
    by_template = {d["template"]: d for d in q3["by_template"]}
    assert (by_template["07"]["issued"], by_template["07"]["voided"]) == (1, 1)
    assert (by_template["09"]["issued"], by_template["09"]["voided"]) == (2, 0)
    q4 = _stats(client, leader, **Q4)["totals"]
    assert (q4["documents_issued"], q4["documents_voided"]) == (0, 1)


def test_a_case_whose_09_was_voided_or_never_made_has_no_ledger(client, leader, office) -> None:
    q3 = _stats(client, leader, **Q3)["totals"]
    assert (q3["closed_with_ledger"], q3["ledger_share"]) == (1, 0.5)  # A yes, B voided
    q4 = _stats(client, leader, **Q4)["totals"]
    assert (q4["closed_with_ledger"], q4["ledger_share"]) == (0, 0.0)  # C never had one


def test_archived_in_time_is_within_ten_working_days_of_closure(client, leader, office) -> None:
    q3 = _stats(client, leader, **Q3)["totals"]
    # A archived 08-20 (due 08-28); B never archived (due 09-16)
    assert (q3["archiving_timed"], q3["archived_in_time"], q3["archived_in_time_share"]) == (
        2,
        1,
        0.5,
    )
    q4 = _stats(client, leader, **Q4)["totals"]
    assert (q4["archived_in_time"], q4["archived_in_time_share"]) == (1, 1.0)  # C 10-12


def test_satisfaction_averages_the_scores_recorded_at_closure(client, leader, office) -> None:
    q3 = _stats(client, leader, **Q3)["totals"]
    assert (q3["satisfaction_count"], q3["satisfaction_mean"]) == (1, 90.0)  # B not surveyed
    both = _stats(client, leader, **{"from": "2026-07-01", "to": "2026-12-31"})["totals"]
    assert (both["satisfaction_count"], both["satisfaction_mean"]) == (2, 80.0)


def test_a_section_with_three_overdue_steps_in_a_row_is_named(client, leader, office) -> None:
    runs = _stats(client, leader, **Q3)["overdue_sections"]
    assert runs == [
        {
            "section": "三科",
            "overdue_in_a_row": 3,
            "first_due_on": "2026-08-06",
            "last_due_on": "2026-08-14",
        }
    ]


def test_breakdowns_by_section_handler_and_month(client, leader, office) -> None:
    stats = _stats(client, leader, **Q3)
    one = _slice(stats["by_section"], "一科")
    assert (one["cases_opened"], one["cases_closed"], one["steps_done_late"]) == (2, 2, 3)
    two = _slice(stats["by_section"], "二科")
    assert (two["cases_opened"], two["clue_to_start_cases"], two["clue_to_start_p90_wd"]) == (
        1,
        2,
        23,
    )
    li = _slice(stats["by_handler"], "李四")
    assert (li["section"], li["steps_overdue_now"], li["steps_done_late"]) == ("二科", 1, 1)
    july, august = _slice(stats["by_month"], "2026-07"), _slice(stats["by_month"], "2026-08")
    assert (july["cases_opened"], august["cases_opened"]) == (2, 2)
    assert (august["cases_closed"], _slice(stats["by_month"], "2026-09")["cases_closed"]) == (1, 1)
    assert sum(s["steps_done"] for s in stats["by_month"]) == stats["totals"]["steps_done"]


def test_filters_narrow_every_figure_to_a_section_or_handler(client, leader, office) -> None:
    t = _stats(client, leader, **Q3, section="三科")["totals"]
    assert (t["cases_opened"], t["steps_done"], t["steps_overdue_now"]) == (1, 4, 1)
    t = _stats(client, leader, **Q3, handler="张三")["totals"]
    assert (t["cases_opened"], t["cases_closed"], t["interviews_held"]) == (2, 2, 2)
