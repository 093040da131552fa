"""The console holds its filters and forms to the API's text rules: a character documents
cannot hold is a page saying so in Chinese with a 4xx, never a 500 (SQLite's full-text search
chokes on NUL, PostgreSQL refuses it in any text)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import quote

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from service.app import create_app
from service.audit.refusals import route_action
from service.auth.models import Role
from service.auth.policy import POLICY
from service.runtime import Runtime
from tests.service.console.conftest import Person, csrf_of, sign_in

SAID = "含有文书不能容纳的字符"
SAYS_WHY = re.compile(f"{SAID}|格式不正确")  # the latter: a field with a pattern of its own
SAMPLE_PATH = {
    "archive_no": "A1",
    "code": "01",
    "version": "ab" * 6,
    "username": "nobody",
    "name": "no-such-key",
    "fmt": "csv",
}


@dataclass(frozen=True)
class Param:
    """A text input of a console route."""

    method: str
    path: str
    where: str  # path, query or form
    name: str
    action: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}.{self.name}"


def _is_text(annotation: Any) -> bool:
    return annotation is str or any(_is_text(a) for a in get_args(annotation))


def _fields(dependant: Dependant) -> Iterator[tuple[str, Any]]:
    """(where, field) of a dependant and of everything it depends on."""
    for where, fields in (
        ("path", dependant.path_params),
        ("query", dependant.query_params),
        ("form", dependant.body_params),
    ):
        for f in fields:
            yield where, f
    for sub in dependant.dependencies:
        yield from _fields(sub)


def console_text_inputs() -> Iterator[Param]:
    """Every text path, query and form parameter of every console route."""
    for rc in iter_route_contexts(create_app().routes):
        route = rc.original_route
        if not (isinstance(route, APIRoute) and "console" in route.tags):
            continue
        for method in sorted(route.methods):
            for where, f in dict.fromkeys(_fields(route.dependant)):
                if _is_text(f.field_info.annotation):
                    yield Param(method, route.path, where, f.alias, route_action(route))


INPUTS = list(console_text_inputs())


def test_the_walk_finds_the_console_filters_and_forms() -> None:
    found = {str(p) for p in INPUTS}
    assert {
        "GET /archives query.q",
        "GET /archives/{archive_no} path.archive_no",
        "GET /audit query.actor",
        "GET /statistics query.section",
        "POST /login form.username",
        "POST /archives/{archive_no}/holds form.reason",
        "POST /admin/users form.username",
    } <= found


class People:
    """One signed-in browser per role, made when first needed."""

    def __init__(self, runtime: Runtime, person: Person, stack: ExitStack) -> None:
        self.runtime, self.person, self.stack = runtime, person, stack
        self.clients: dict[Role | None, tuple[TestClient, str]] = {}

    def client(self, action: str | None) -> tuple[TestClient, str]:
        role = sorted(POLICY[action])[0] if action else None
        if role not in self.clients:
            c = self.stack.enter_context(
                TestClient(
                    create_app(runtime=self.runtime),
                    base_url="https://testserver",
                    follow_redirects=False,
                )
            )
            if role is not None:
                sign_in(c, self.person(f"in-{role.value}", role))
            token = csrf_of(c.get("/login").text)
            self.clients[role] = (c, token)
        return self.clients[role]


def _request(people: People, param: Param, value: str) -> Any:
    c, token = people.client(param.action)
    path = param.path
    for key, sample in SAMPLE_PATH.items():
        own = param.where == "path" and param.name == key
        path = path.replace(f"{{{key}}}", quote(value if own else sample, safe=""))
    path = path.replace("{list_id}", "1").replace("{hold_id}", "1")
    for key in ("case_id", "document_id", "sample_id"):
        path = path.replace(f"{{{key}}}", "1")
    query = {param.name: value} if param.where == "query" else {}
    form = {"csrf": token, **({param.name: value} if param.where == "form" else {})}
    if param.method == "GET":
        return c.get(path, params=query)
    return c.request(param.method, path, params=query, data=form)


@pytest.mark.parametrize("char", ["\x00", "\ufffe"], ids=["NUL", "U+FFFE"])
def test_a_forbidden_character_in_any_console_input_is_a_4xx_page_saying_so(
    runtime: Runtime, person: Person, char: str
) -> None:
    failures = []
    with ExitStack() as stack:
        people = People(runtime, person, stack)
        for param in INPUTS:
            r = _request(people, param, f"供水{char}")
            if not 400 <= r.status_code < 500:
                failures.append(f"{param}: {r.status_code} {r.text[:200]}")
            elif param.method == "GET" and (r.status_code != 422 or not SAYS_WHY.search(r.text)):
                failures.append(f"{param}: {r.status_code} without saying why")
    assert not failures, "\n".join(failures)


def test_archive_search_with_nul_is_the_search_page_naming_the_term(
    browser_client: TestClient, person: Person
) -> None:
    sign_in(browser_client, person("dang", Role.archivist))
    r = browser_client.get("/archives", params={"q": "供水\x00", "party": "某\x00"})
    assert r.status_code == 422
    assert "全文关键词：" + SAID in r.text and "当事人：" + SAID in r.text
    assert 'name="q"' in r.text  # the search form, to correct the term
    results = browser_client.get("/archives?q=%00", headers={"HX-Target": "results"})
    assert results.status_code == 422 and SAID in results.text
    assert "<html" not in results.text  # only the results, swapped in by htmx


def test_an_audit_filter_with_nul_is_a_page_naming_the_filter(
    browser_client: TestClient, person: Person
) -> None:
    sign_in(browser_client, person("shen", Role.auditor))
    r = browser_client.get("/audit", params={"actor": "张\x00"})
    assert r.status_code == 422
    assert "操作人：" + SAID in r.text and "填写有误" in r.text


def test_a_hold_reason_with_nul_is_refused_naming_the_reason(
    browser_client: TestClient, person: Person
) -> None:
    sign_in(browser_client, person("dang", Role.archivist))
    token = csrf_of(browser_client.get("/archives").text)
    r = browser_client.post(
        "/archives/A1/holds", data={"csrf": token, "kind": "litigation", "reason": "诉讼\x00中"}
    )
    assert r.status_code == 422 and "理由：" + SAID in r.text
