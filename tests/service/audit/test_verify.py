"""The audit chain detects any altered, removed, inserted or reordered entry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.audit.verify import verify_chain
from service.auth.models import Role
from service.runtime import Runtime

CASE = {"party": {"name": "链条测试商行", "kind": "individual_business"}, "cause": "审计链测试"}


@pytest.fixture
def five_entries(client: TestClient, key_headers, runtime: Runtime) -> Runtime:
    system = key_headers(Role.system)  # an API key: no sign-in entry before the five
    for _ in range(5):
        assert client.post("/api/v1/cases", json=CASE, headers=system).status_code == 201
    return runtime


def _check(runtime: Runtime):
    with runtime.sessions() as s:
        return verify_chain(s)


def _sql(runtime: Runtime, stmt: str, **params: object) -> None:
    with runtime.engine.begin() as conn:
        conn.execute(sa.text(stmt), params)


def test_an_untouched_chain_verifies(five_entries: Runtime) -> None:
    report = _check(five_entries)
    assert report.ok and report.entries == 5


def test_an_altered_entry_is_named(five_entries: Runtime) -> None:
    _sql(five_entries, "UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3")
    broken = _check(five_entries).broken
    assert broken is not None and broken.seq == 3 and "altered" in broken.reason


def test_a_removed_entry_is_named(five_entries: Runtime) -> None:
    _sql(five_entries, "DELETE FROM audit_log WHERE seq = 2")
    broken = _check(five_entries).broken
    assert broken is not None and broken.position == 2 and broken.seq == 3


def test_a_removed_last_entry_is_caught_by_the_tip(five_entries: Runtime) -> None:
    _sql(five_entries, "DELETE FROM audit_log WHERE seq = 5")
    broken = _check(five_entries).broken
    assert broken is not None and "tip" in broken.reason


def test_an_inserted_entry_is_named(five_entries: Runtime) -> None:
    _sql(five_entries, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4")
    _sql(five_entries, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 104")
    _sql(
        five_entries,
        "INSERT INTO audit_log (seq, at, actor, role, action, target_type, target_id, outcome,"
        " detail, prev_hash, hash) SELECT 4, at, actor, role, action, target_type, '999',"
        " outcome, detail, hash, :h FROM audit_log WHERE seq = 3",
        h="f" * 64,
    )
    broken = _check(five_entries).broken
    assert broken is not None and broken.seq == 4 and "altered" in broken.reason


def test_reordered_entries_are_named(five_entries: Runtime) -> None:
    _sql(five_entries, "UPDATE audit_log SET seq = 100 WHERE seq = 2")
    _sql(five_entries, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    _sql(five_entries, "UPDATE audit_log SET seq = 3 WHERE seq = 100")
    broken = _check(five_entries).broken
    assert broken is not None and broken.position == 2
