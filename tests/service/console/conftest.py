"""Console fixtures: people who sign in with a password, and a browser-like client."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from service import clock
from service.app import create_app
from service.auth.models import Role
from service.auth.service import create_user
from service.cases.models import CaseOutcome
from service.db import transaction
from service.runtime import Runtime
from tests.service.statistics.office import Spec, build

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

Person = Callable[[str, Role], str]


@pytest.fixture
def person(runtime: Runtime) -> Person:
    """Create a named user with a role (password ``PASSWORD``); returns the name."""

    def make(name: str, role: Role) -> str:
        with transaction(runtime.sessions) as s:
            create_user(s, name, role, PASSWORD)
        return name

    return make


@pytest.fixture
def browser_client(runtime: Runtime) -> Iterator[TestClient]:
    """A client that keeps cookies over HTTPS (the console's cookies are ``Secure``) and does
    not follow redirects, so a test sees where it is sent."""
    with TestClient(
        create_app(runtime=runtime), base_url="https://testserver", follow_redirects=False
    ) as c:
        yield c


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns where the console sent the person."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": password, "csrf": token})
    assert r.status_code == 303, r.text
    return r.headers["location"]


@pytest.fixture
def october(runtime: Runtime) -> Iterator[list[int]]:
    """Seven cases closed in October 2026; the clock in mid-November."""
    when = datetime(2026, 11, 16, 10, tzinfo=clock.LOCAL_TZ).astimezone(UTC)
    clock.set_clock(lambda: when)
    ids = []
    with transaction(runtime.sessions) as session:
        for i in range(7):
            spec = Spec(f"十月{i}", "一科", "王五", "2026-09-01")
            spec.outcome, spec.closed_on = CaseOutcome.other, f"2026-10-{1 + i:02d}"
            ids.append(build(session, runtime.settings, spec).id)
    yield ids
    clock.set_clock(None)
