"""Opening cases over HTTP: 案号, idempotent external references, errors, roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service import clock
from service.auth.models import Role

PARTY = {
    "name": "某某餐饮管理有限公司",
    "kind": "enterprise",
    "id_code": "91330100MA2XXXXX1A",
    "representative": "王某某",
    "address": "中村市某某区某某路18号",
    "phone": "0571-88888888",
}
CASE = {"party": PARTY, "cause": "后厨卫生条件不符合食品安全标准", "major": False}


def test_clerk_opens_case_and_gets_case_no(client: TestClient, clerk: dict[str, str]) -> None:
    r = client.post("/api/v1/cases", json=CASE, headers=clerk)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["case_no"] == f"中村约〔{clock.today().year}〕1号"
    assert body["status"] == "open"
    assert body["party"]["name"] == PARTY["name"]
    got = client.get(f"/api/v1/cases/{body['id']}", headers=clerk)
    assert got.status_code == 200 and got.json() == body


def test_case_numbers_follow_each_other_without_gaps(
    client: TestClient, clerk: dict[str, str]
) -> None:
    numbers = [
        client.post("/api/v1/cases", json=CASE, headers=clerk).json()["case_no"] for _ in range(3)
    ]
    year = clock.today().year
    assert numbers == [f"中村约〔{year}〕{n}号" for n in (1, 2, 3)]


def test_same_external_ref_from_same_client_returns_the_same_case(
    client: TestClient, key_headers
) -> None:
    system = key_headers(Role.system)
    first = client.post("/api/v1/cases", json={**CASE, "external_ref": "EXT-1"}, headers=system)
    again = client.post("/api/v1/cases", json={**CASE, "external_ref": "EXT-1"}, headers=system)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["case_no"] == first.json()["case_no"]


def test_external_ref_belongs_to_its_client(
    client: TestClient, key_headers, clerk: dict[str, str]
) -> None:
    a = client.post("/api/v1/cases", json={**CASE, "external_ref": "X"}, headers=clerk)
    b = client.post(
        "/api/v1/cases", json={**CASE, "external_ref": "X"}, headers=key_headers(Role.system)
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_bad_party_kind_names_the_field_with_its_chinese_label(
    client: TestClient, clerk: dict[str, str]
) -> None:
    bad = {**CASE, "party": {**PARTY, "kind": "company"}}
    r = client.post("/api/v1/cases", json=bad, headers=clerk)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "validation_error"
    [problem] = body["detail"]
    assert problem["field"] == "party.kind"
    assert problem["label"] == "当事人类型"
    assert problem["message"]


def test_missing_cause_is_reported_and_consumes_no_number(
    client: TestClient, clerk: dict[str, str]
) -> None:
    r = client.post("/api/v1/cases", json={"party": PARTY}, headers=clerk)
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["detail"]] == ["cause"]
    ok = client.post("/api/v1/cases", json=CASE, headers=clerk)
    assert ok.json()["case_no"].endswith("〕1号")


def test_opening_a_case_needs_credentials(client: TestClient) -> None:
    r = client.post("/api/v1/cases", json=CASE)
    assert r.status_code == 401
    assert r.json()["error"] == "not_authenticated"


def test_an_archivist_may_not_open_a_case(client: TestClient, user_headers) -> None:
    r = client.post("/api/v1/cases", json=CASE, headers=user_headers(Role.archivist))
    assert r.status_code == 403
    assert r.json()["error"] == "forbidden"


def test_unknown_case_is_404(client: TestClient, clerk: dict[str, str]) -> None:
    r = client.get("/api/v1/cases/999999", headers=clerk)
    assert r.status_code == 404
    assert r.json()["error"] == "not_found"


def test_case_creation_is_in_the_audit_trail(client: TestClient, clerk, runtime) -> None:
    from sqlalchemy import select

    from service.audit.models import AuditEntry

    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    with runtime.sessions() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "case.create")).all()
    assert [(e.target_id, e.role, e.detail["case_no"]) for e in entries] == [
        (str(case["id"]), "clerk", case["case_no"])
    ]
