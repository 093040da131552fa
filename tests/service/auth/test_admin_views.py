"""Administrators manage users and API keys; each change takes effect on the next request."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from service.audit.models import AuditEntry
from service.auth.models import Role
from service.db import reading
from service.runtime import Runtime

PASSWORD = "correct horse battery staple"


def _token(c: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    r = c.post("/api/v1/auth/token", data={"username": name, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_an_admin_adds_a_user_with_a_generated_password_shown_once(
    client: TestClient, user_headers
) -> None:
    admin = user_headers(Role.admin)
    r = client.post("/api/v1/users", headers=admin, json={"username": "zhou", "role": "clerk"})
    assert r.status_code == 201, r.text
    generated = r.json()["password"]
    assert generated and "password_hash" not in r.json()
    assert client.get("/api/v1/me", headers=_token(client, "zhou", generated)).json()["role"] == (
        "clerk"
    )
    listed = client.get("/api/v1/users", headers=admin).json()
    assert {"username": "zhou", "role": "clerk", "active": True}.items() <= next(
        u for u in listed if u["username"] == "zhou"
    ).items()


def test_weak_passwords_and_bad_usernames_are_refused_naming_the_field(
    client: TestClient, user_headers
) -> None:
    admin = user_headers(Role.admin)
    weak = client.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "wu", "role": "clerk", "password": "aaaaaaaaaa"},
    )
    assert weak.status_code == 422
    assert weak.json()["detail"][0]["field"] == "password"
    assert weak.json()["detail"][0]["label"] == "密码"
    bad = client.post(
        "/api/v1/users", headers=admin, json={"username": "<b>x</b>", "role": "clerk"}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "username"


def test_disabling_a_user_ends_their_token_on_the_next_request(
    client: TestClient, user_headers, runtime: Runtime
) -> None:
    admin = user_headers(Role.admin)
    clerk = user_headers(Role.clerk)
    name = client.get("/api/v1/me", headers=clerk).json()["name"]
    assert client.post(f"/api/v1/users/{name}/disable", headers=admin).status_code == 200
    assert client.get("/api/v1/me", headers=clerk).status_code == 401
    refused = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    assert refused.status_code == 401
    assert client.post(f"/api/v1/users/{name}/enable", headers=admin).status_code == 200
    assert client.get("/api/v1/me", headers=clerk).status_code == 401  # the old token stays dead
    assert client.get("/api/v1/me", headers=_token(client, name)).status_code == 200
    with reading(runtime.sessions) as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.target_id == name)))
    assert {"user.disable", "user.enable"} <= set(actions)


def test_a_new_role_applies_to_the_next_request(client: TestClient, user_headers) -> None:
    admin = user_headers(Role.admin)
    clerk = user_headers(Role.clerk)
    name = client.get("/api/v1/me", headers=clerk).json()["name"]
    assert client.get("/api/v1/archives", headers=clerk).status_code == 403
    r = client.post(f"/api/v1/users/{name}/role", headers=admin, json={"role": "archivist"})
    assert r.status_code == 200 and r.json()["role"] == "archivist"
    assert client.get("/api/v1/archives", headers=clerk).status_code == 200


def test_a_password_reset_ends_old_tokens_and_the_new_password_works(
    client: TestClient, user_headers
) -> None:
    admin = user_headers(Role.admin)
    clerk = user_headers(Role.clerk)
    name = client.get("/api/v1/me", headers=clerk).json()["name"]
    new = "湖滨路十八号-早班-2026"
    r = client.post(f"/api/v1/users/{name}/password", headers=admin, json={"password": new})
    assert r.status_code == 200 and r.json()["password"] is None
    assert client.get("/api/v1/me", headers=clerk).status_code == 401
    assert client.get("/api/v1/me", headers=_token(client, name, new)).status_code == 200


def test_revoking_tokens_ends_every_session_of_the_user(client: TestClient, user_headers) -> None:
    admin = user_headers(Role.admin)
    clerk = user_headers(Role.clerk)
    name = client.get("/api/v1/me", headers=clerk).json()["name"]
    second = _token(client, name)
    assert client.post(f"/api/v1/users/{name}/revoke-tokens", headers=admin).status_code == 200
    assert client.get("/api/v1/me", headers=clerk).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 401


def test_a_user_changes_their_own_password_proving_the_current_one(
    client: TestClient, user_headers
) -> None:
    clerk = user_headers(Role.clerk)
    name = client.get("/api/v1/me", headers=clerk).json()["name"]
    body = {"current_password": "not it at all", "new_password": "湖滨路十八号-晚班-2027"}
    wrong = client.post("/api/v1/me/password", headers=clerk, json=body)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "current_password"
    body["current_password"] = PASSWORD
    assert client.post("/api/v1/me/password", headers=clerk, json=body).status_code == 204
    assert (
        client.get("/api/v1/me", headers=_token(client, name, body["new_password"])).status_code
        == 200
    )


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(
    client: TestClient, user_headers
) -> None:
    admin = user_headers(Role.admin)
    name = client.get("/api/v1/me", headers=admin).json()["name"]
    r = client.post(f"/api/v1/users/{name}/disable", headers=admin)
    assert r.status_code == 409 and r.json()["error"] == "last_admin"
    r = client.post(f"/api/v1/users/{name}/role", headers=admin, json={"role": "clerk"})
    assert r.status_code == 409


def test_a_revoked_key_is_refused_and_a_rotated_key_replaces_the_old(
    client: TestClient, user_headers
) -> None:
    admin = user_headers(Role.admin)
    made = client.post(
        "/api/v1/keys", headers=admin, json={"name": "case-system", "role": "system"}
    )
    assert made.status_code == 201
    key = {"X-API-Key": made.json()["key"]}
    assert client.get("/api/v1/me", headers=key).status_code == 200
    rotated = client.post("/api/v1/keys/case-system/rotate", headers=admin).json()["key"]
    assert client.get("/api/v1/me", headers=key).status_code == 401
    new = {"X-API-Key": rotated}
    assert client.get("/api/v1/me", headers=new).status_code == 200
    revoked = client.post("/api/v1/keys/case-system/revoke", headers=admin).json()
    assert revoked["active"] is False and revoked["revoked_by"].startswith("user:")
    assert client.get("/api/v1/me", headers=new).status_code == 401
    assert "key" not in client.get("/api/v1/keys", headers=admin).json()[0]
