"""The error contract: JSON bodies with a code and the request id, whatever goes wrong."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from archive.objects import StorageUnavailable
from doc_templates.samples import sample_data
from service.app import create_app
from service.auth.models import Role
from service.runtime import Runtime

CASE = {
    "party": {"name": "错误契约有限公司", "kind": "enterprise"},
    "cause": "契约测试",
    "clue_received_on": "2026-09-01",
}


def test_an_unexpected_failure_is_a_json_500_with_the_request_id(
    runtime: Runtime, key_headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("service.cases.service.get_case", boom)
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/cases/1", headers={**key_headers(Role.system), "X-Request-ID": "r-42"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/json"
    assert r.json()["error"] == "internal_error" and r.json()["request_id"] == "r-42"
    assert r.headers["x-request-id"] == "r-42"
    assert "a bug" not in r.text


def _assert_security_headers(r: httpx.Response) -> None:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "same-origin"
    for name in ("content-security-policy", "cache-control", "x-content-type-options"):
        assert len(r.headers.get_list(name)) == 1, name


def test_a_500_carries_the_security_headers(
    runtime: Runtime, key_headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("service.cases.service.get_case", boom)
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/cases/1", headers=key_headers(Role.system))
    assert r.status_code == 500
    _assert_security_headers(r)


def test_every_other_error_carries_the_security_headers_once(
    client: TestClient, key_headers
) -> None:
    system = key_headers(Role.system)
    json_type = {**system, "Content-Type": "application/json"}
    limit = client.app.state.runtime.settings.max_body_bytes  # type: ignore[attr-defined]
    answers = [
        client.get("/api/v1/cases/1"),  # 401
        client.get("/api/v1/audit", headers=system),  # 403
        client.get("/api/v1/cases/999", headers=system),  # 404
        client.post("/api/v1/cases", json={}, headers=system),  # 422
        client.post("/api/v1/cases", content=b"{", headers=json_type),  # 400
        client.post("/api/v1/cases", content=b" " * (limit + 1), headers=system),  # 413
    ]
    assert [r.status_code for r in answers] == [401, 403, 404, 422, 400, 413]
    for r in answers:
        _assert_security_headers(r)


def test_json_nested_too_deep_for_the_parser_is_malformed_json(
    client: TestClient, key_headers
) -> None:
    body = "[" * 50_000 + "]" * 50_000
    r = client.post(
        "/api/v1/cases",
        content=body,
        headers={**key_headers(Role.system), "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["error"] == "malformed_json"


def test_a_chunked_body_over_the_limit_is_413(client: TestClient, key_headers) -> None:
    limit = client.app.state.runtime.settings.max_body_bytes  # type: ignore[attr-defined]

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 4096 + 2):
            yield b" " * 4096

    r = client.post("/api/v1/cases", content=chunks(), headers=key_headers(Role.system))
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"


def test_a_chunked_body_under_the_limit_reaches_the_route(client: TestClient, key_headers) -> None:
    import json

    raw = json.dumps(CASE, ensure_ascii=False).encode()

    def chunks() -> Iterator[bytes]:
        yield raw[:10]
        yield raw[10:]

    r = client.post(
        "/api/v1/cases",
        content=chunks(),
        headers={**key_headers(Role.system), "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text


def test_storage_down_is_503_without_the_stores_address(
    client: TestClient, key_headers, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=CASE, headers=headers).json()

    def down(*_args: object, **_kwargs: object) -> None:
        raise StorageUnavailable("documents/x.docx: object storage unreachable: 10.0.0.7:8333")

    monkeypatch.setattr(runtime.documents, "put", down)
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=headers,
        json={"template": "01", "data": sample_data("01")},
    )
    assert r.status_code == 503 and r.json()["error"] == "service_unavailable"
    assert "10.0.0.7" not in r.text and r.json()["request_id"]


def test_a_validation_error_names_each_field_with_its_label(
    client: TestClient, key_headers
) -> None:
    r = client.post(
        "/api/v1/cases",
        json={"party": {"name": "", "kind": "enterprise"}, "cause": "x"},
        headers=key_headers(Role.system),
    )
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error", "detail", "request_id"} and body["error"] == "validation_error"
    problem = body["detail"][0]
    assert problem["field"] == "party.name" and problem["label"] == "当事人名称"
    assert set(problem) == {"field", "message", "type", "label"}
