"""Text outside a body — a path segment, a query parameter, the sign-in form — is held to the
same rules as the body's: a character documents cannot hold is a 422 naming the parameter,
never a 500 (PostgreSQL refuses NUL in text; SQLite's full-text search chokes on it).

The routes are read from the app's own OpenAPI document, so a new route is covered the day it
is added."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.audit.refusals import route_action
from service.auth.models import Role
from service.auth.policy import POLICY
from service.openapi import api_routes

# A valid value for each path parameter that is not the one under test.
SAMPLE_PATH = {
    "code": "01",
    "version": "0123abcd",
    "fmt": "pdf",
    "quarter": "2026Q1",
    "token": "x" * 28,
    "archive_no": "WS2026-D30-0001",
    "username": "nobody",
    "name": "nobody",
}
# What a client can put in a URL: NUL and U+FFFE percent-encoded as UTF-8.
FORBIDDEN = {"NUL": "\x00", "U+0001": "\x01", "U+FFFE": "\ufffe"}
# A lone surrogate cannot be UTF-8 at all; its would-be bytes arrive as U+FFFD replacements.
SURROGATE_BYTES = "%ED%A0%80"


@dataclass(frozen=True)
class Param:
    """A text parameter of an operation."""

    method: str
    path: str
    where: str  # path or query
    name: str
    schema: dict[str, Any]

    @property
    def free_text(self) -> bool:
        """No format, pattern or enum of its own: only the text rules stand in the way."""
        options = [self.schema, *self.schema.get("anyOf", [])]
        return not any({"format", "pattern", "enum", "$ref"} & set(o) for o in options)

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}.{self.name}"


def _is_text(schema: dict[str, Any]) -> bool:
    return any(o.get("type") == "string" for o in [schema, *schema.get("anyOf", [])])


def text_parameters() -> Iterator[Param]:
    """Every string path and query parameter of every operation the API documents."""
    spec = create_app().openapi()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for p in op.get("parameters", []):
                if p["in"] in ("path", "query") and _is_text(p["schema"]):
                    yield Param(method.upper(), path, p["in"], p["name"], p["schema"])


def _actions() -> dict[tuple[str, str], str | None]:
    return {
        (method, route.path): route_action(route)
        for route in api_routes(create_app())
        for method in route.methods
    }


PARAMS = list(text_parameters())
ACTIONS = _actions()


def test_the_walk_finds_the_text_parameters_of_every_kind() -> None:
    found = {str(p) for p in PARAMS}
    assert {
        "GET /api/v1/archives/{archive_no} path.archive_no",
        "POST /api/v1/users/{username}/disable path.username",
        "POST /api/v1/keys/{name}/revoke path.name",
        "POST /api/v1/webhooks/{name}/rotate path.name",
        "GET /api/v1/verify/{token} path.token",
        "GET /api/v1/warnings query.section",
        "GET /api/v1/statistics query.handler",
        "GET /api/v1/archives query.q",
        "GET /api/v1/audit/export query.actor",
    } <= found
    assert len(PARAMS) >= 50


def _path(param: Param, raw: str) -> str:
    """The operation's path with ``raw`` (already percent-encoded) as the parameter under
    test, if it is in the path, and a valid value for every other."""

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if (param.where, param.name) == ("path", key):
            return raw
        return quote(SAMPLE_PATH.get(key, "1"), safe="")

    path = re.sub(r"\{(\w+)\}", value, param.path)
    return path


def _headers(param: Param, user_headers) -> dict[str, str]:
    action = ACTIONS[(param.method, param.path)]
    if action is None:
        return {}  # public
    return dict(user_headers(sorted(POLICY[action])[0]))


@pytest.mark.parametrize("char", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
def test_a_forbidden_character_in_any_path_or_query_text_is_a_422_naming_it(
    client: TestClient, user_headers, char: str
) -> None:
    failures = []
    for param in PARAMS:
        value = f"甲{char}乙"
        path = _path(param, quote(value, safe=""))
        query = {param.name: value} if param.where == "query" else {}
        r = client.request(param.method, path, params=query, headers=_headers(param, user_headers))
        named = [
            p
            for p in (r.json().get("detail") if r.status_code == 422 else None) or []
            if p["field"] == f"{param.where}.{param.name}"
        ]
        if r.status_code != 422 or not named:
            failures.append(f"{param}: {r.status_code} {r.text[:300]}")
        elif param.free_text and named[0]["type"] != "forbidden_character":
            failures.append(f"{param}: refused for {named[0]['type']}, not the character")
    assert not failures, "\n".join(failures)


def test_the_bytes_of_a_lone_surrogate_in_any_parameter_never_give_a_5xx(
    client: TestClient, user_headers
) -> None:
    failures = []
    for param in PARAMS:
        raw = f"%E7%94%B2{SURROGATE_BYTES}"  # 甲, then the bytes of U+D800
        path = _path(param, raw)
        url = path + (f"?{param.name}={raw}" if param.where == "query" else "")
        r = client.request(param.method, url, headers=_headers(param, user_headers))
        if r.status_code >= 500:
            failures.append(f"{param}: {r.status_code} {r.text[:300]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("char", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
def test_a_sign_in_form_with_a_forbidden_character_is_a_422_naming_the_field(
    client: TestClient, user_headers, field: str, char: str
) -> None:
    user_headers(Role.clerk)  # a real account, so that only the character is wrong
    form = {"username": "clerk-0", "password": "correct horse battery staple"}
    form[field] = form[field][:3] + char + form[field][3:]
    r = client.post("/api/v1/auth/token", data=form)
    assert r.status_code == 422, r.text
    assert [p["field"] for p in r.json()["detail"]] == [field]
    assert r.json()["detail"][0]["type"] == "forbidden_character"


def test_a_template_upload_note_with_a_forbidden_character_is_a_422_naming_it(
    client: TestClient, user_headers
) -> None:
    r = client.post(
        "/api/v1/templates/01/versions",
        headers=user_headers(Role.legal),
        files={"file": ("01.docx", b"not read: the form is refused first")},
        data={"note": "改了\x00标题"},
    )
    assert r.status_code == 422, r.text
    assert [(p["field"], p["type"]) for p in r.json()["detail"]] == [
        ("note", "forbidden_character")
    ]
