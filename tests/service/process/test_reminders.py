"""Reminders: each step is reported once when it turns yellow and once when it turns red, in
the audit trail; two processes sweeping at the same moment never report a step twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service import clock
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.db import make_engine, make_sessionmaker, reading
from service.process.reminders import sweep
from service.runtime import Runtime
from service.webhooks.models import WebhookDelivery
from tests.service.flow import case_body


@pytest.fixture
def at() -> Iterator[Any]:
    """Set the service clock to a moment (office time), for the test's length."""

    def move(moment: str) -> None:
        when = datetime.fromisoformat(moment).replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
        clock.set_clock(lambda: when)

    yield move
    clock.set_clock(None)


def _reported(runtime: Runtime) -> list[tuple[str, str, str]]:
    return [
        (e["case_no"], e["step"], e["level"])
        for e in sweep(runtime.sessions, runtime.settings)["reported"]
    ]


def test_a_step_is_reported_once_yellow_then_once_red(
    client: TestClient, runtime: Runtime, clerk, user_headers, at
) -> None:
    at("2026-09-02 10:00")
    case = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()  # due 09-04
    assert _reported(runtime) == []
    at("2026-09-03 10:00")  # one working day left
    assert _reported(runtime) == [(case["case_no"], "verification", "yellow")]
    assert _reported(runtime) == []
    at("2026-09-07 09:00")  # overdue
    assert _reported(runtime) == [(case["case_no"], "verification", "red")]
    assert _reported(runtime) == []

    trail = client.get(
        "/api/v1/audit", headers=user_headers(Role.auditor), params={"action": "step.warning"}
    ).json()["items"]
    assert [(e["actor"], e["target_id"], e["detail"]["level"]) for e in trail] == [
        ("system:reminders", str(case["id"]), "yellow"),
        ("system:reminders", str(case["id"]), "red"),
    ]
    assert trail[1]["detail"]["due"] == "2026-09-04"


def test_a_step_found_red_at_once_is_reported_red_only(
    client: TestClient, runtime: Runtime, clerk, at
) -> None:
    at("2026-09-10 10:00")
    case = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()
    assert _reported(runtime) == [(case["case_no"], "verification", "red")]
    assert _reported(runtime) == []


def test_two_processes_sweeping_at_once_report_each_step_once(
    client: TestClient, runtime: Runtime, clerk, user_headers, database_url: str
) -> None:
    admin = user_headers(Role.admin)
    subscribed = client.post(
        "/api/v1/webhooks",
        headers=admin,
        json={"name": "cs", "url": "http://127.0.0.1:9/", "events": ["step.red"]},
    )
    assert subscribed.status_code == 201, subscribed.text
    cases = 12
    for i in range(cases):
        r = client.post("/api/v1/cases", headers=clerk, json=case_body(f"当事人{i}"))
        assert r.status_code == 201, r.text

    # two "processes": each its own engine and connection pool, released at the same moment
    engines = [make_engine(database_url) for _ in range(2)]
    sweepers = [
        cast(
            Runtime, type("R", (), {"sessions": make_sessionmaker(e), "settings": runtime.settings})
        )
        for e in engines
    ]
    barrier = threading.Barrier(2)
    results: list[list[tuple[str, str, str]]] = [[], []]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = _reported(sweepers[i])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for e in engines:
        e.dispose()
    assert not errors, errors

    both = results[0] + results[1]
    assert len(both) == len(set(both)) == cases  # every case's step, once, by one of the two
    with reading(runtime.sessions) as session:
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "step.warning")
        )
        sent = session.scalar(select(func.count()).select_from(WebhookDelivery))
    assert (audited, sent) == (cases, cases)
