"""Service test helpers: a complete case file, closed and ready to archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.auth.models import Role

PASSED = ["01", "02", "03", "04", "05", "07", "08", "09", "10", "11"]
PENALTY = ["01", "02", "03", "04", "05", "07", "08", "09", "10", "12"]

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
            json={
                "party": {"name": party, "kind": "enterprise"},
                "cause": "后厨卫生不达标",
                "major": major,
                "livelihood": livelihood,
            },
        ).json()
        for code in templates:
            r = client.post(
                f"/api/v1/cases/{case['id']}/documents",
                headers=clerk,
                json={"template": code, "data": sample_data(code)},
            )
            assert r.status_code == 201, r.text
        r = client.post(
            f"/api/v1/cases/{case['id']}/close", headers=clerk, json={"outcome": outcome}
        )
        assert r.status_code == 200, r.text
        return r.json()

    return make
