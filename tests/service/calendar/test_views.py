"""The calendar API: where a year comes from, loading a year, working days for integrators."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.audit.models import AuditEntry
from service.auth.models import Role
from service.auth.policy import POLICY
from service.runtime import Runtime

WD = "/api/v1/calendar/working-days"


def working_days(client: TestClient, headers: dict[str, str], start: str, n: int) -> Any:
    r = client.get(WD, params={"from": start, "days": n}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def fields(r: Any) -> list[str]:
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "validation_error"
    return [p["field"] for p in r.json()["detail"]]


def test_a_published_year_comes_from_chinesecalendar(client: TestClient, clerk) -> None:
    r = client.get("/api/v1/calendar/2026", headers=clerk)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["source"], body["provisional"], body["loaded_by"]) == (
        "chinesecalendar",
        False,
        None,
    )
    assert "2026-02-15" in body["holidays"] and "2026-10-07" in body["holidays"]
    assert {"2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"} <= set(body["workdays"])


def test_an_unpublished_year_is_provisional_on_the_statutory_days(
    client: TestClient, clerk
) -> None:
    body = client.get("/api/v1/calendar/2027", headers=clerk).json()
    assert (body["source"], body["provisional"], body["workdays"]) == ("provisional", True, [])
    assert {"2027-01-01", "2027-02-05", "2027-02-08", "2027-10-03"} <= set(body["holidays"])


def test_working_days_for_integrators_across_the_2026_spring_festival(
    client: TestClient, clerk
) -> None:
    assert working_days(client, clerk, "2026-02-12", 3) == {
        "from": "2026-02-12",
        "days": 3,
        "date": "2026-02-24",
        "provisional": False,
    }
    assert working_days(client, clerk, "2026-09-29", 5)["date"] == "2026-10-12"


def test_a_2027_deadline_is_provisional_until_the_schedule_is_loaded(
    client: TestClient, clerk, admin, schedule_2027: dict[str, Any], runtime: Runtime
) -> None:
    before = working_days(client, clerk, "2027-02-04", 3)
    assert (before["date"], before["provisional"]) == ("2027-02-15", True)
    assert working_days(client, clerk, "2026-12-30", 5)["provisional"] is True

    r = client.put("/api/v1/calendar/2027", json=schedule_2027, headers=admin)
    assert r.status_code == 200, r.text
    assert (r.json()["source"], r.json()["provisional"]) == ("loaded", False)

    # Eight days off from 5 February and Saturday 13 worked: 13, 15, 16.
    after = working_days(client, clerk, "2027-02-04", 3)
    assert (after["date"], after["provisional"]) == ("2027-02-16", False)
    assert working_days(client, clerk, "2026-12-30", 5)["provisional"] is False

    year = client.get("/api/v1/calendar/2027", headers=clerk).json()
    assert year["source"] == "loaded" and year["loaded_by"].startswith("user:admin")
    assert year["loaded_at"] is not None and year["notice"] == schedule_2027["notice"]
    assert year["workdays"] == schedule_2027["workdays"]
    with runtime.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.load")).one()
        assert (entry.target_id, entry.detail["holidays"], entry.detail["replaced"]) == (
            "2027",
            len(schedule_2027["holidays"]),
            False,
        )


def test_a_loaded_year_wins_over_chinesecalendar_and_a_reload_replaces_it(
    client: TestClient, clerk, admin
) -> None:
    # An office correcting 2026: Monday 2 March off too.
    corrected = {"holidays": ["2026-03-02"], "workdays": []}
    assert client.put("/api/v1/calendar/2026", json=corrected, headers=admin).status_code == 200
    assert working_days(client, clerk, "2026-02-27", 1)["date"] == "2026-03-03"
    # Being loaded, 2026 now has only what was loaded: the Spring Festival is gone.
    assert working_days(client, clerk, "2026-02-13", 1)["date"] == "2026-02-16"

    again = {"holidays": ["2026-03-03"], "workdays": ["2026-02-28"]}
    assert client.put("/api/v1/calendar/2026", json=again, headers=admin).status_code == 200
    assert working_days(client, clerk, "2026-02-27", 1)["date"] == "2026-02-28"
    assert working_days(client, clerk, "2026-02-28", 1)["date"] == "2026-03-02"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"holidays": ["2026-12-31"]}, "holidays[0]"),
        ({"workdays": ["2027-02-13", "2028-01-08"]}, "workdays[1]"),
        ({"workdays": ["2027-02-05"]}, "workdays[0]"),  # also a holiday
        ({"workdays": ["2027-02-17"]}, "workdays[0]"),  # a Wednesday: lists swapped?
        ({"holidays": []}, "holidays"),
        ({"holidays": ["2027-02-30"]}, "holidays[0]"),
        ({"extra": 1}, "extra"),
    ],
)
def test_an_impossible_schedule_is_refused_naming_the_field(
    client: TestClient,
    admin,
    clerk,
    schedule_2027: dict[str, Any],
    change: dict[str, Any],
    field: str,
) -> None:
    r = client.put("/api/v1/calendar/2027", json={**schedule_2027, **change}, headers=admin)
    assert fields(r) == [field]
    assert r.json()["detail"][0]["label"] in ("放假日期", "调休上班日期", None)
    assert client.get("/api/v1/calendar/2027", headers=clerk).json()["source"] == "provisional"


def test_every_problem_of_a_schedule_is_listed(client: TestClient, admin) -> None:
    body = {"holidays": ["2026-10-01", "2027-10-01"], "workdays": ["2027-10-01", "2027-10-04"]}
    r = client.put("/api/v1/calendar/2027", json=body, headers=admin)
    assert fields(r) == ["holidays[0]", "workdays[0]", "workdays[1]"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"from": "2026-03-02", "days": 0}, "query.days"),
        ({"from": "2026-03-02", "days": 367}, "query.days"),
        ({"days": 3}, "query.from"),
        ({"from": "2026-02-30", "days": 3}, "query.from"),
        ({"from": "2003-06-02", "days": 3}, "query.from"),
        ({"from": "9999-12-31", "days": 1}, "query.from"),
        ({"from": "2099-12-30", "days": 5}, "query.days"),  # runs past the calendar
    ],
)
def test_bad_working_day_queries_are_refused_naming_the_field(
    client: TestClient, clerk, params: dict[str, Any], field: str
) -> None:
    assert fields(client.get(WD, params=params, headers=clerk)) == [field]


def test_a_year_outside_the_calendar_is_refused(client: TestClient, clerk) -> None:
    assert fields(client.get("/api/v1/calendar/2100", headers=clerk)) == ["path.year"]


def test_only_an_admin_may_load_a_year(
    client: TestClient, user_headers, key_headers, schedule_2027: dict[str, Any]
) -> None:
    assert POLICY["calendar.write"] == {Role.admin}
    for role in Role:
        if role is Role.admin:
            continue
        for headers in (user_headers(role), key_headers(role)):
            r = client.put("/api/v1/calendar/2027", json=schedule_2027, headers=headers)
            assert r.status_code == 403, (role, r.text)
    clerk = user_headers(Role.clerk)
    assert client.get("/api/v1/calendar/2027", headers=clerk).json()["source"] == "provisional"
    r = client.put("/api/v1/calendar/2027", json=schedule_2027, headers=key_headers(Role.admin))
    assert r.status_code == 200 and r.json()["loaded_by"].startswith("key:")


def test_every_role_that_reads_cases_reads_the_calendar(client: TestClient, user_headers) -> None:
    for role in POLICY["cases.read"] | {Role.admin}:
        r = client.get(WD, params={"from": "2026-03-02", "days": 1}, headers=user_headers(role))
        assert r.status_code == 200, role
        r = client.get("/api/v1/calendar/2026", headers=user_headers(role))
        assert r.status_code == 200, role
    r = client.get("/api/v1/calendar/2026", headers=user_headers(Role.supervisor))
    assert r.status_code == 403
