"""Service test helpers: a complete case file, closed and ready to archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.auth.models import Role
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

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
