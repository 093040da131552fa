"""Every route declares who may call it, and the service enforces exactly that."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.audit.refusals import route_action
from service.auth.models import Role
from service.auth.policy import POLICY
from service.openapi import api_routes as all_api_routes

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/docs"),
    ("GET", "/health/ready"),
    ("POST", "/api/v1/auth/token"),
    ("GET", "/api/v1/verify/{token}"),
}
SAMPLE_PATH = {
    "{case_id}": "1",
    "{document_id}": "1",
    "{code}": "01",
    "{token}": "x" * 28,
    "{year}": "2026",
    "{material_id}": "1",
}


def api_routes() -> list[tuple[str, str, str | None]]:
    app = create_app()  # not started: only the route table is read
    out = []
    for route in all_api_routes(app):
        for method in sorted(route.methods):
            out.append((method, route.path, route_action(route)))
    return out


def test_the_walk_sees_every_router() -> None:
    paths = {path for _, path, _ in api_routes()}
    assert {"/api/v1/cases", "/api/v1/archives", "/api/v1/destructions", "/api/v1/audit"} <= paths


def test_every_route_has_a_policy_or_is_public() -> None:
    for method, path, action in api_routes():
        if (method, path) in PUBLIC:
            assert action is None, f"{method} {path} is public but declares {action}"
        else:
            assert action in POLICY, f"{method} {path} declares no policy"


def _url(path: str) -> str:
    for k, v in SAMPLE_PATH.items():
        path = path.replace(k, v)
    return path


def test_every_role_gets_exactly_what_the_policy_declares(
    client: TestClient, user_headers, key_headers
) -> None:
    routes = [r for r in api_routes() if (r[0], r[1]) not in PUBLIC]
    for method, path, action in routes:
        assert action is not None
        anonymous = client.request(method, _url(path), json={})
        assert anonymous.status_code == 401, f"{method} {path} without credentials"
        for role in Role:
            for headers in (user_headers(role), key_headers(role)):
                r = client.request(method, _url(path), json={}, headers=headers)
                assert r.status_code < 500, f"{role} {method} {path}: {r.status_code} {r.text}"
                if role in POLICY[action]:
                    assert r.status_code not in (401, 403), f"{role} {method} {path}: {r.text}"
                else:
                    assert r.status_code == 403, f"{role} {method} {path}: {r.status_code}"


@pytest.mark.parametrize("method,path", sorted(PUBLIC))
def test_public_routes_need_no_credentials(client: TestClient, method: str, path: str) -> None:
    r = client.request(method, _url(path), data={"username": "x", "password": "y"})
    assert r.status_code not in (403,)
    assert r.status_code != 401 or path == "/api/v1/auth/token"
