"""Service test helpers: a complete case file, closed and ready to archive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service import clock
from service.auth.models import Role
from service.db import transaction
from service.runtime import Runtime
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow
from tests.service.statistics.office import CASES, TODAY, build

MakeCase = Callable[..., dict[str, Any]]


@pytest.fixture
def archivist(user_headers) -> dict[str, str]:
    """Bearer header of an archivist."""
    return user_headers(Role.archivist)


@pytest.fixture
def closed_case(client: TestClient, clerk: dict[str, str]) -> MakeCase:
    """Open a case, issue its documents and close it; returns the case."""

    def make(
        templates: list[str] = PASSED,
        outcome: str = "passed",
        *,
        major: bool = False,
        livelihood: bool = False,
        party: str = "中村市某某餐饮管理有限公司",
    ) -> dict[str, Any]:
        case = client.post(
            "/api/v1/cases",
            headers=clerk,
            json=case_body(party, major=major, livelihood=livelihood),
        ).json()
        run_flow(client, clerk, case["id"], templates, failing=outcome == "penalty")
        r = client.post(
            f"/api/v1/cases/{case['id']}/close",
            headers=clerk,
            json={"outcome": outcome, "closed_on": CLOSED_ON},
        )
        assert r.status_code == 200, r.text
        return r.json()

    return make


@pytest.fixture
def office(runtime: Runtime) -> Iterator[None]:
    """The cases of ``tests/service/statistics/office.py``, with the clock on 2026-11-16."""
    when = datetime.fromisoformat(TODAY).replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
    clock.set_clock(lambda: when)
    with transaction(runtime.sessions) as session:
        for spec in CASES:
            build(session, runtime.settings, spec)
    yield
    clock.set_clock(None)
