"""Signing in: back-off and temporary lockout per account and per address, all audited."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service import clock
from service.app import create_app
from service.audit.models import AuditEntry
from service.auth import login
from service.auth.login import Attempt, TooManyAttempts
from service.auth.models import Role
from service.auth.service import create_user
from service.auth.throttle import ThrottlePolicy
from service.db import reading, transaction
from service.errors import NotAuthenticated
from service.runtime import Runtime

PASSWORD = "correct horse battery staple"


class MovableClock:
    """The service clock, moved by hand."""

    def __init__(self) -> None:
        self.now = clock.now()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def moved() -> Iterator[MovableClock]:
    c = MovableClock()
    clock.set_clock(c)
    yield c
    clock.set_clock(None)


@pytest.fixture
def small_limits(runtime: Runtime) -> Iterator[TestClient]:
    """Account locks after 3 failures, the address after 6, for 60 s doubling to 240 s."""
    runtime.settings = runtime.settings.model_copy(
        update={
            "login_account_threshold": 3,
            "login_address_threshold": 6,
            "login_lock_seconds": 60,
            "login_lock_max_seconds": 240,
        }
    )
    with transaction(runtime.sessions) as s:
        for name in ("zhao", "qian", "sun", "li"):
            create_user(s, name, Role.clerk, PASSWORD)
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def _login(c: TestClient, name: str, password: str) -> int:
    r = c.post("/api/v1/auth/token", data={"username": name, "password": password})
    return r.status_code


def _actions(runtime: Runtime) -> list[tuple[str, str]]:
    with reading(runtime.sessions) as s:
        return [
            (e.action, e.outcome) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]


def test_an_account_is_locked_after_repeated_failures_even_for_the_right_password(
    small_limits: TestClient, runtime: Runtime, moved: MovableClock
) -> None:
    c = small_limits
    assert [_login(c, "zhao", "wrong password 1") for _ in range(3)] == [401, 401, 401]
    r = c.post("/api/v1/auth/token", data={"username": "zhao", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts"
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert _login(c, "qian", PASSWORD) == 200  # another account from the same address is fine

    moved.now += timedelta(seconds=61)
    assert _login(c, "zhao", "wrong again!!") == 401  # the 4th failure: locked twice as long
    moved.now += timedelta(seconds=61)
    assert _login(c, "zhao", PASSWORD) == 429
    moved.now += timedelta(seconds=60)
    assert _login(c, "zhao", PASSWORD) == 200
    moved.now += timedelta(seconds=1)
    assert _login(c, "zhao", "wrong once more") == 401  # success forgot the old failures
    assert _login(c, "zhao", PASSWORD) == 200

    actions = _actions(runtime)
    assert actions.count(("auth.login", "failed")) == 5
    assert actions.count(("auth.login", "locked")) == 2
    assert actions.count(("auth.lockout", "ok")) == 2
    assert actions.count(("auth.login", "ok")) == 3


def test_an_address_is_locked_after_failures_across_accounts(
    small_limits: TestClient, runtime: Runtime, moved: MovableClock
) -> None:
    c = small_limits
    names = ["zhao", "qian", "sun", "li", "nobody", "ghost"]
    assert [_login(c, n, "not the password") for n in names] == [401] * 6
    assert _login(c, "li", PASSWORD) == 429  # li itself failed once only: the address is locked
    with reading(runtime.sessions) as s:
        lockouts = s.scalars(select(AuditEntry).where(AuditEntry.action == "auth.lockout")).all()
    assert [e.target_id for e in lockouts] == ["addr:testclient"]
    assert lockouts[0].client_addr == "testclient"


def test_a_failed_sign_in_is_audited_with_the_name_tried_and_the_address(
    client: TestClient, runtime: Runtime
) -> None:
    assert _login(client, "<script>", "whatever-it-is") == 401
    with reading(runtime.sessions) as s:
        entry = s.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.outcome, entry.actor) == ("auth.login", "failed", "anonymous")
    assert entry.detail["username"] == "<script>" and entry.client_addr == "testclient"


def test_parallel_guesses_get_no_more_password_checks_than_the_threshold(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = ThrottlePolicy(account_threshold=3, address_threshold=1000)
    with transaction(runtime.sessions) as s:
        create_user(s, "zhao", Role.clerk, PASSWORD)
    checks = 0
    counting = threading.Lock()
    real_check = login.check_credentials

    def check(*args: Any) -> Any:
        nonlocal checks
        with counting:
            checks += 1
        time.sleep(0.05)  # a slow hash: every guess is in flight before the first one fails
        return real_check(*args)

    monkeypatch.setattr(login, "check_credentials", check)
    guesses = 12
    start = threading.Barrier(guesses)

    def guess(n: int) -> int:
        attempt = Attempt("zhao", f"10.0.0.{n}", None)  # addresses of their own: the account
        start.wait()
        try:
            login.sign_in(runtime.sessions, policy, attempt, f"wrong guess {n}")
        except NotAuthenticated:
            return 401
        except TooManyAttempts:
            return 429
        return 200

    with ThreadPoolExecutor(guesses) as pool:
        answers = sorted(pool.map(guess, range(guesses)))

    assert checks == 3
    assert answers == [401] * 3 + [429] * (guesses - 3)
    actions = _actions(runtime)
    assert actions.count(("auth.login", "failed")) == 3
    assert actions.count(("auth.login", "locked")) == guesses - 3
    assert actions.count(("auth.lockout", "ok")) == 1
