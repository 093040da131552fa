"""Steps and their time limits on the official calendar: due dates, warnings, the 2026
holidays, the urgent 24 hours, a provisional 2027 recomputed once its schedule is loaded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import clock
from service.auth.models import Role
from tests.service.flow import case_body, run_flow


@pytest.fixture
def at() -> Iterator[Any]:
    """Set the service clock to a moment (office time), for the test's length."""

    def move(moment: str) -> None:
        when = datetime.fromisoformat(moment).replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
        clock.set_clock(lambda: when)

    yield move
    clock.set_clock(None)


def _steps(client: TestClient, headers: dict[str, str], case_id: int) -> dict[str, Any]:
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    return {s["step"]: s for s in case["steps"]} | {"stage": case["stage"]}


def _open(client: TestClient, clerk: dict[str, str], **kw: Any) -> int:
    r = client.post("/api/v1/cases", headers=clerk, json=case_body(**kw))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_a_new_case_is_at_verification_due_three_working_days_after_the_clue(
    client: TestClient, clerk, at
) -> None:
    at("2026-09-02 10:00")
    case_id = _open(client, clerk)  # clue 2026-09-01 (Tue)
    steps = _steps(client, clerk, case_id)
    assert steps["stage"] == "verification"
    v = steps["verification"]
    assert (v["status"], v["started_on"], v["due"], v["warning"]) == (
        "open",
        "2026-09-01",
        "2026-09-04",
        None,
    )
    assert steps["legal_review"]["status"] == "pending" and steps["legal_review"]["due"] is None
    at("2026-09-03 10:00")
    assert _steps(client, clerk, case_id)["verification"]["warning"] == "yellow"  # 1 day left
    at("2026-09-07 09:00")
    assert _steps(client, clerk, case_id)["verification"]["warning"] == "red"


def test_the_flow_moves_the_stage_and_times_each_step(client: TestClient, clerk, at) -> None:
    at("2026-11-02 10:00")
    case_id = _open(client, clerk)
    run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08", "09"])
    steps = _steps(client, clerk, case_id)
    expected = {
        "verification": ("done", "2026-09-04", "2026-09-03"),
        "legal_review": ("done", "2026-09-07", "2026-09-07"),  # 2 wd after 09-03 (Thu)
        "approval": ("done", "2026-09-08", "2026-09-08"),
        "notice": ("done", "2026-09-10", "2026-09-09"),
        "service": ("done", "2026-09-10", "2026-09-10"),
        "interview": ("done", "2026-09-17", "2026-09-16"),  # 5 wd after service on 09-10
        # deadline 10-16 (a Friday, a working day); the report 3 wd before it
        "rectification": ("open", "2026-10-16", None),
        "report": ("open", "2026-10-13", None),
    }
    for step, (status, due, done) in expected.items():
        s = steps[step]
        assert (s["status"], s["due"], s["done_on"]) == (status, due, done), step
        if status == "done":
            assert s["warning"] is None, step
    assert steps["rectification"]["warning"] == "red" and steps["stage"] == "rectification"


def test_a_major_case_gets_five_working_days_for_its_legal_review(
    client: TestClient, clerk
) -> None:
    case_id = _open(client, clerk, major=True)
    run_flow(client, clerk, case_id, ["01"])
    review = _steps(client, clerk, case_id)["legal_review"]
    assert review["due"] == "2026-09-10"  # verified 09-03 (Thu): 04, 07, 08, 09, 10


def test_counting_crosses_national_day_and_its_make_up_saturday(client: TestClient, clerk) -> None:
    # clue 2026-09-29 (Tue): 09-30, then Oct 1–7 off, 10-08, 10-09 → due 10-09
    case_id = _open(client, clerk, clue_received_on="2026-09-29")
    assert _steps(client, clerk, case_id)["verification"]["due"] == "2026-10-09"
    # clue 2026-10-08: 10-09 (Fri), 10-10 (a Saturday worked in 2026), 10-12 → due 10-12
    case_id = _open(client, clerk, clue_received_on="2026-10-08", party="十月公司")
    assert _steps(client, clerk, case_id)["verification"]["due"] == "2026-10-12"


def test_counting_crosses_the_spring_festival(client: TestClient, clerk) -> None:
    # clue 2026-02-12 (Thu): 02-13, 02-14 (a Saturday worked), then Feb 15–23 off, 02-24
    case_id = _open(client, clerk, clue_received_on="2026-02-12")
    assert _steps(client, clerk, case_id)["verification"]["due"] == "2026-02-24"


def test_an_urgent_interview_is_due_24_hours_after_service(client: TestClient, clerk, at) -> None:
    at("2026-09-11 08:00")
    case_id = _open(client, clerk, urgent=True)
    run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05"])  # served 09-10 15:20
    interview = _steps(client, clerk, case_id)["interview"]
    # the hour of service is not counted: from 16:00, 24 hours
    assert interview["due"].startswith("2026-09-11T16:00:00")
    assert interview["warning"] is None
    at("2026-09-11 12:00")
    assert _steps(client, clerk, case_id)["interview"]["warning"] == "yellow"
    at("2026-09-11 16:01")
    assert _steps(client, clerk, case_id)["interview"]["warning"] == "red"


def test_a_step_done_late_keeps_a_red_mark(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk, clue_received_on="2026-08-25")  # due 08-28; done 09-03
    run_flow(client, clerk, case_id, ["01"])
    v = _steps(client, clerk, case_id)["verification"]
    assert (v["status"], v["warning"], v["due"]) == ("done", "red", "2026-08-28")


def test_a_2027_deadline_is_provisional_until_the_schedule_is_loaded(
    client: TestClient, key_headers, user_headers, at
) -> None:
    at("2027-02-04 10:00")
    clerk = key_headers(Role.system)
    admin = user_headers(Role.admin)
    case_id = _open(client, clerk, clue_received_on="2027-02-04")
    before = _steps(client, clerk, case_id)["verification"]
    assert before["provisional"] is True
    # a schedule as the State Council might publish it: Feb 5–13 off, Sat Feb 14 worked
    holidays = [f"2027-02-{d:02d}" for d in range(5, 14)]
    r = client.put(
        "/api/v1/calendar/2027",
        headers=admin,
        json={"holidays": holidays, "workdays": ["2027-02-14"]},
    )
    assert r.status_code == 200, r.text
    after = _steps(client, clerk, case_id)["verification"]
    assert after["provisional"] is False
    assert after["due"] == "2027-02-16"  # 02-14 (worked Sunday), 02-15, 02-16
    assert after["due"] != before["due"]
    # the kept steps were recomputed too: the warnings list reads them
    warnings = client.get("/api/v1/warnings", headers=clerk).json()
    assert all(not w["provisional"] for w in warnings["items"])


def test_the_archiving_step_runs_from_closure(client: TestClient, clerk, closed_case) -> None:
    case = closed_case()
    steps = _steps(client, clerk, case["id"])
    assert steps["stage"] == "closed"
    assert steps["archiving"]["status"] == "open"
    assert steps["archiving"]["due"] == "2026-11-03"  # 10 working days after 2026-10-20
