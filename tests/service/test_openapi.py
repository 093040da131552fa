"""The API describes every error it can answer, and its docs work offline."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from service.app import create_app


def test_every_operation_documents_its_errors_with_the_real_bodies() -> None:
    schema = create_app().openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            where = f"{method.upper()} {path}"
            if op.get("security"):
                assert {"401", "403"} <= set(responses), where
            if "{" in path:
                assert "404" in responses, where
            if op.get("requestBody"):
                assert {"400", "413", "422"} <= set(responses), where
            for status, spec in responses.items():
                if int(status) >= 400:
                    ref = spec["content"]["application/json"]["schema"]["$ref"]
                    want = "ValidationErrorBody" if status == "422" else "ErrorBody"
                    assert ref.endswith(want), f"{where} {status}"


def test_sign_in_documents_its_lockout() -> None:
    responses = create_app().openapi()["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "429" in responses and "401" in responses


def test_the_docs_page_loads_only_from_this_service(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "<script>" not in r.text  # no inline script
    sources = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for s in sources:
        asset = client.get(s)
        assert asset.status_code == 200 and len(asset.content) > 100, s


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for r in (client.get("/health"), client.get("/api/v1/me"), client.get("/nowhere")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["referrer-policy"] == "same-origin"
