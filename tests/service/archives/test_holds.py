"""Holds: the store's legal hold follows them, in the order that is safe when a step fails."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from archive.objects import StorageUnavailable
from service.archives.checks import reconcile
from service.auth.models import Role
from service.runtime import Runtime


def _archived(client: TestClient, archivist, closed_case) -> dict:
    r = client.post(f"/api/v1/cases/{closed_case()['id']}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    return r.json()


def _held_in_store(runtime: Runtime, a: dict) -> bool:
    key = f"dossiers/{a['year']}/{a['archive_no']}.pdf"
    return runtime.archive.get_legal_hold(key)


def test_a_hold_sets_the_stores_legal_hold_and_its_release_lifts_it(
    client: TestClient, archivist, closed_case, runtime: Runtime, user_headers
) -> None:
    a = _archived(client, archivist, closed_case)
    assert not _held_in_store(runtime, a)
    legal = user_headers(Role.legal)
    hold = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=legal,
        json={"kind": "litigation", "reason": "行政诉讼中"},
    )
    assert hold.status_code == 201, hold.text
    assert _held_in_store(runtime, a)
    listed = client.get(f"/api/v1/archives/{a['archive_no']}/holds", headers=archivist).json()
    assert [h["kind"] for h in listed] == ["litigation"] and listed[0]["released_at"] is None
    release = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds/{hold.json()['id']}/release",
        headers=legal,
        json={"reason": "判决生效"},
    )
    assert release.status_code == 200 and release.json()["released_by"].startswith("user:")
    assert not _held_in_store(runtime, a)
    again = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds/{hold.json()['id']}/release",
        headers=legal,
        json={"reason": "再次解除"},
    )
    assert again.status_code == 409


def test_a_permanent_archive_keeps_its_legal_hold_after_a_release(
    client: TestClient, archivist, closed_case, runtime: Runtime
) -> None:
    a = client.post(
        f"/api/v1/cases/{closed_case(livelihood=True)['id']}/archive", headers=archivist
    ).json()
    hold = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=archivist,
        json={"kind": "review", "reason": "复查"},
    ).json()
    client.post(
        f"/api/v1/archives/{a['archive_no']}/holds/{hold['id']}/release",
        headers=archivist,
        json={"reason": "复查结束"},
    )
    assert _held_in_store(runtime, a)


def test_a_store_failure_records_no_hold(
    client: TestClient, archivist, closed_case, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _archived(client, archivist, closed_case)

    def down(*_args: object, **_kwargs: object) -> None:
        raise StorageUnavailable("injected")

    monkeypatch.setattr(runtime.archive, "set_legal_hold", down)
    r = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=archivist,
        json={"kind": "complaint", "reason": "投诉处理中"},
    )
    assert r.status_code == 503
    assert client.get(f"/api/v1/archives/{a['archive_no']}/holds", headers=archivist).json() == []


def test_a_release_whose_lifting_failed_is_repaired_by_reconcile(
    client: TestClient, archivist, closed_case, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _archived(client, archivist, closed_case)
    hold = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=archivist,
        json={"kind": "other", "reason": "暂缓"},
    ).json()
    real = runtime.archive.set_legal_hold

    def cannot_lift(key: str, on: bool, version_id: str | None = None) -> None:
        if not on:
            raise StorageUnavailable("injected")
        real(key, on, version_id)

    monkeypatch.setattr(runtime.archive, "set_legal_hold", cannot_lift)
    r = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds/{hold['id']}/release",
        headers=archivist,
        json={"reason": "解除"},
    )
    assert r.status_code == 200  # the release is recorded; the store still holds it
    monkeypatch.undo()
    listed = client.get(f"/api/v1/archives/{a['archive_no']}/holds", headers=archivist).json()
    assert listed[0]["released_at"] is not None and _held_in_store(runtime, a)
    with runtime.sessions() as s:
        result = reconcile(runtime.archive, s)
        s.commit()
    assert any("legal hold lifted" in r for r in result.repaired), result
    assert not _held_in_store(runtime, a)
