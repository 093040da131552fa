"""Systems subscribe to events and receive them HMAC-signed; a receiver that fails is tried
again with the same body and delivery id; every attempt shows on the subscription's
deliveries; only administrators manage subscriptions."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import clock
from service.auth.models import Role
from service.config import Settings
from service.process.reminders import sweep
from service.runtime import Runtime
from service.webhooks.signing import SIGNATURE_HEADER, verify
from tests.service.flow import case_body
from tests.service.webhooks.receiver import receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Jobs run inside the app, as ``anjuan serve`` does: deliveries are jobs."""
    return settings.model_copy(update={"jobs_in_serve": True})


def _subscribe(client: TestClient, admin: dict[str, str], url: str, **kw: Any) -> dict[str, Any]:
    body = {"name": "case-system", "url": url, "events": ["step.red", "step.yellow"]} | kw
    r = client.post("/api/v1/webhooks", headers=admin, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _deliveries(client: TestClient, admin: dict[str, str], until: str) -> list[dict[str, Any]]:
    """The subscription's deliveries once none is pending (or after 60 s)."""
    deadline = time.monotonic() + 60
    while True:
        r = client.get("/api/v1/webhooks/case-system/deliveries", headers=admin)
        assert r.status_code == 200, r.text
        rows = r.json()
        if (rows and all(d["status"] == until for d in rows)) or time.monotonic() > deadline:
            return list(rows)
        time.sleep(0.2)


def _warnings(
    client: TestClient, auditor: dict[str, str], case_id: int | None = None
) -> list[tuple[str, str, str]]:
    """The reminders in the audit trail (of one case): 案号, step, level."""
    params: dict[str, Any] = {"action": "step.warning"}
    if case_id is not None:
        params |= {"target_type": "case", "target_id": str(case_id)}
    r = client.get("/api/v1/audit", headers=auditor, params=params)
    assert r.status_code == 200, r.text
    return [
        (e["detail"]["case_no"], e["detail"]["step"], e["detail"]["level"])
        for e in r.json()["items"]
    ]


def test_an_overdue_step_reaches_the_subscriber_signed_and_a_failed_attempt_is_retried(
    client: TestClient, runtime: Runtime, user_headers, clerk
) -> None:
    admin = user_headers(Role.admin)
    with receiver() as hook:
        hook.answers = [503]  # the first attempt fails
        sub = _subscribe(client, admin, hook.url)
        assert sub["secret"].startswith("whsec_")
        case = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()
        # the clue of 2026-09-01 is long overdue (a worker's sweep may be first)
        sweep(runtime.sessions, runtime.settings)
        assert _warnings(client, user_headers(Role.auditor), case["id"]) == [
            (case["case_no"], "verification", "red")
        ]
        (delivery,) = _deliveries(client, admin, until="delivered")
        got = list(hook.received)

    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == (
        "delivered",
        2,
        200,
    )
    assert len(got) == 2 and got[0].body == got[1].body  # the same bytes, tried again
    assert {g.headers["X-Anjuan-Delivery"] for g in got} == {delivery["event_id"]}
    now = int(clock.now().timestamp())
    for g in got:
        assert verify(sub["secret"], g.headers[SIGNATURE_HEADER], g.body, now)
        assert not verify(sub["secret"], g.headers[SIGNATURE_HEADER], g.body + b" ", now)
    event = json.loads(got[1].body)
    assert event["event"] == "step.red" and event["id"] == delivery["event_id"]
    assert event["data"]["case_no"] == case["case_no"]
    assert (event["data"]["step"], event["data"]["label"]) == ("verification", "线索核实")


def test_a_paused_subscription_gets_nothing_and_a_rotated_secret_signs_from_then_on(
    client: TestClient, runtime: Runtime, user_headers, clerk
) -> None:
    admin = user_headers(Role.admin)
    with receiver() as hook:
        sub = _subscribe(client, admin, hook.url)
        assert (
            client.post("/api/v1/webhooks/case-system/disable", headers=admin).json()["active"]
            is False
        )
        client.post("/api/v1/cases", headers=clerk, json=case_body("甲公司"))
        sweep(runtime.sessions, runtime.settings)
        assert len(_warnings(client, user_headers(Role.auditor))) == 1  # in the trail, sent nowhere
        assert client.get("/api/v1/webhooks/case-system/deliveries", headers=admin).json() == []

        client.post("/api/v1/webhooks/case-system/enable", headers=admin)
        rotated = client.post("/api/v1/webhooks/case-system/rotate", headers=admin).json()
        assert rotated["secret"] != sub["secret"]
        client.post("/api/v1/cases", headers=clerk, json=case_body("乙公司"))
        sweep(runtime.sessions, runtime.settings)
        _deliveries(client, admin, until="delivered")
        (got,) = hook.received
    now = int(clock.now().timestamp())
    assert verify(rotated["secret"], got.headers[SIGNATURE_HEADER], got.body, now)
    assert not verify(sub["secret"], got.headers[SIGNATURE_HEADER], got.body, now)
    assert json.loads(got.body)["data"]["party"] == "乙公司"


def test_an_unknown_event_is_refused_naming_the_field(client: TestClient, user_headers) -> None:
    r = client.post(
        "/api/v1/webhooks",
        headers=user_headers(Role.admin),
        json={"name": "x", "url": "http://127.0.0.1:9/", "events": ["step.purple"]},
    )
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert (problem["field"], problem["label"]) == ("events", "订阅事件")


def test_only_an_administrator_manages_subscriptions(client: TestClient, user_headers) -> None:
    body = {"name": "x", "url": "http://127.0.0.1:9/", "events": ["step.red"]}
    for role in (Role.clerk, Role.system, Role.auditor):
        headers = user_headers(role)
        assert client.post("/api/v1/webhooks", headers=headers, json=body).status_code == 403
        assert client.get("/api/v1/webhooks", headers=headers).status_code == 403
    admin = user_headers(Role.admin)
    assert client.post("/api/v1/webhooks", headers=admin, json=body).status_code == 201
    assert client.post("/api/v1/webhooks", headers=admin, json=body).status_code == 409
    listed = client.get("/api/v1/webhooks", headers=admin).json()
    assert [s["name"] for s in listed] == ["x"] and "secret" not in listed[0]
