"""Reading the audit trail: auditors and admins only, filters, JSON Lines export."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from service.auth.models import Role

CASE = {"party": {"name": "审计查询商行", "kind": "other"}, "cause": "审计查询"}


def test_an_auditor_lists_and_filters_the_trail(client: TestClient, clerk, user_headers) -> None:
    for _ in range(3):
        client.post("/api/v1/cases", json=CASE, headers=clerk)
    auditor = user_headers(Role.auditor)
    r = client.get("/api/v1/audit", params={"action": "case.create", "limit": 2}, headers=auditor)
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 3 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["role"] == "clerk" and first["actor"].startswith("user:")
    assert first["request_id"] and len(first["hash"]) == 64
    later = client.get(
        "/api/v1/audit", params={"action": "case.create", "offset": 2}, headers=auditor
    ).json()
    assert [e["seq"] for e in later["items"]] == [body["items"][1]["seq"] + 1]


def test_the_trail_exports_as_json_lines(client: TestClient, clerk, user_headers) -> None:
    client.post("/api/v1/cases", json=CASE, headers=clerk)
    r = client.get("/api/v1/audit/export", headers=user_headers(Role.admin))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in r.text.splitlines()]
    # the clerk's and the admin's sign-ins are in the trail too, in order
    assert [e["action"] for e in lines] == ["auth.login", "case.create", "auth.login"]
    assert [e["seq"] for e in lines] == [1, 2, 3]


def test_a_clerk_may_not_read_the_trail(client: TestClient, clerk) -> None:
    assert client.get("/api/v1/audit", headers=clerk).status_code == 403
