"""Archiving through the real flow (the archive job run by the service) completes the case's
archiving step, which the statistics count as archived within its limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from service import clock
from service.auth.models import Role
from service.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The service runs its jobs (archiving is one)."""
    return settings.model_copy(update={"jobs_in_serve": True})


def test_archiving_a_case_through_the_api_completes_its_archiving_step(
    client: TestClient, clerk: dict[str, str], archivist, user_headers, closed_case
) -> None:
    # 2026-10-22 10:00 in the office, running (the archive job waits on the clock)
    shift = datetime(2026, 10, 22, 10, tzinfo=clock.LOCAL_TZ) - datetime.now(UTC)
    clock.set_clock(lambda: datetime.now(UTC) + shift)
    try:
        case = closed_case()  # closed 2026-10-20: archiving due 10 working days later, 11-03
        r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
        assert r.status_code == 201, r.text
        steps = client.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()["steps"]
        archiving = next(s for s in steps if s["step"] == "archiving")
        assert (archiving["status"], archiving["done_on"]) == ("done", "2026-10-22")
        t = client.get(
            "/api/v1/statistics",
            headers=user_headers(Role.leader),
            params={"from": "2026-10-01", "to": "2026-10-31"},
        ).json()["totals"]
        assert (t["archiving_timed"], t["archived_in_time"]) == (1, 1)
    finally:
        clock.set_clock(None)
