"""Refused state-changing requests are in the audit trail, under whoever sent them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.auth.models import Role

CASE = {"party": {"name": "越权测试", "kind": "other"}, "cause": "越权"}


def test_a_refused_request_is_recorded_with_its_author_and_outcome(
    client: TestClient, user_headers
) -> None:
    archivist = user_headers(Role.archivist)
    assert client.post("/api/v1/cases", json=CASE, headers=archivist).status_code == 403
    assert client.post("/api/v1/cases", json=CASE).status_code == 401
    trail = client.get(
        "/api/v1/audit", headers=user_headers(Role.auditor), params={"outcome": "refused"}
    ).json()["items"]
    assert [
        (e["actor"].split(":")[0], e["role"], e["action"], e["detail"]["status"]) for e in trail
    ] == [("user", "archivist", "cases.create", 403), ("anonymous", "-", "cases.create", 401)]
    assert all(e["request_id"] for e in trail)


def test_a_conflict_after_work_began_is_recorded(client: TestClient, clerk, user_headers) -> None:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    client.post(f"/api/v1/cases/{case['id']}/close", headers=clerk, json={"outcome": "other"})
    again = client.post(
        f"/api/v1/cases/{case['id']}/close", headers=clerk, json={"outcome": "other"}
    )
    assert again.status_code == 409
    [entry] = client.get(
        "/api/v1/audit", headers=user_headers(Role.auditor), params={"outcome": "refused"}
    ).json()["items"]
    assert entry["action"] == "cases.close" and entry["detail"]["error"] == "illegal_transition"
