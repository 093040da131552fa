"""Destruction fixtures: short test-only retention periods against the real Object Lock store."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.retention import RetentionClass
from service.auth.models import Role
from service.auth.service import create_user
from service.config import Settings
from service.db import transaction
from service.runtime import Runtime

PASSWORD = "correct horse battery staple"
ORDINARY_SECONDS = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Ordinary cases expire seconds after archiving; major ones not within the test."""
    classes = dict(settings.retention_classes)
    classes["D5"] = RetentionClass(seconds=ORDINARY_SECONDS, label="3秒（测试）")
    classes["D10"] = RetentionClass(seconds=3600, label="1小时（测试）")
    # archiving is a job: run jobs inside the app, as `anjuan serve` does
    return settings.model_copy(update={"retention_classes": classes, "jobs_in_serve": True})


Login = Callable[[str, Role], dict[str, str]]


@pytest.fixture
def login(client: TestClient, runtime: Runtime) -> Login:
    """Create a named user with a role and return its bearer header."""

    def make(name: str, role: Role) -> dict[str, str]:
        with transaction(runtime.sessions) as s:
            create_user(s, name, role, PASSWORD)
        r = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    return make


@pytest.fixture
def archived(client: TestClient, login: Login, closed_case) -> Callable[..., dict[str, Any]]:
    """Archive a complete case; waits until its (test) retention has ended when asked."""
    archivist = login("archivist-a", Role.archivist)

    def make(
        *,
        major: bool = False,
        livelihood: bool = False,
        wait: bool = True,
        party: str = "销毁测试有限公司",
    ) -> dict[str, Any]:
        case = closed_case(major=major, livelihood=livelihood, party=party)
        a = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
        assert a.status_code == 201, a.text
        if wait:
            time.sleep(ORDINARY_SECONDS + 1)
        return a.json()

    make.archivist = archivist  # type: ignore[attr-defined]
    return make
