"""Destruction: leader approval, three distinct supervisors, every version deleted, a permanent
register and record — and every way it must be refused."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pypdf import PdfReader

from archive.dossier import extract_text
from service.auth.models import Role
from service.runtime import Runtime
from tests.service.watch import RequestWatch

PASSWORD = "correct horse battery staple"


def _propose(client: TestClient, archivist: dict[str, str], nos: list[str]):
    return client.post(
        "/api/v1/destructions",
        headers=archivist,
        json={"archive_nos": nos, "appraisal": "保管期限已满，经鉴定无继续保存价值"},
    )


def _approved_list(client: TestClient, archived, login, nos: list[str]) -> tuple[int, Any]:
    archivist = archived.archivist
    r = _propose(client, archivist, nos)
    assert r.status_code == 201, r.text
    leader = login("leader-a", Role.leader)
    d = client.post(
        f"/api/v1/destructions/{r.json()['id']}/decision",
        headers=leader,
        json={"approve": True, "comment": "同意销毁"},
    )
    assert d.status_code == 200, d.text
    return r.json()["id"], archivist


def _token(client: TestClient, username: str) -> dict[str, str]:
    """Log an existing user in again (e.g. after their role changed)."""
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _confirm(client: TestClient, login, list_id: int, names: list[str]) -> None:
    for name in names:
        r = client.post(
            f"/api/v1/destructions/{list_id}/confirmations", headers=login(name, Role.supervisor)
        )
        assert r.status_code == 201, r.text


def test_destruction_needs_three_distinct_supervisors_then_deletes_every_version(
    client: TestClient, archived, login, runtime: Runtime
) -> None:
    a = archived()
    key = f"dossiers/{a['archive_no'].split('-')[2]}/{a['archive_no']}.pdf"
    due = client.get("/api/v1/archives/due", headers=archived.archivist).json()
    assert [d["archive_no"] for d in due] == [a["archive_no"]]
    list_id, archivist = _approved_list(client, archived, login, [a["archive_no"]])

    _confirm(client, login, list_id, ["sup-1", "sup-2"])
    early = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert early.status_code == 409 and early.json()["error"] == "not_enough_supervisors"
    assert runtime.archive.exists(key)

    _confirm(client, login, list_id, ["sup-3"])
    r = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert r.status_code == 200, r.text
    lst = r.json()
    assert lst["status"] == "executed" and len(lst["supervisors"]) == 3
    assert [v for v in runtime.archive.list_versions(key) if v.key == key] == []

    [entry] = client.get("/api/v1/destruction-register", headers=archivist).json()
    assert (entry["archive_no"], entry["case_no"], entry["sha256"]) == (
        a["archive_no"],
        a["case_no"],
        a["sha256"],
    )
    assert [s["name"] for s in entry["supervisors"]] == ["user:sup-1", "user:sup-2", "user:sup-3"]
    assert entry["approved_by"] == "user:leader-a" and entry["versions_deleted"] >= 1

    record = client.get(f"/api/v1/destructions/{list_id}/record", headers=archivist)
    assert record.status_code == 200
    assert hashlib.sha256(record.content).hexdigest() == lst["record_sha256"]
    text = extract_text(record.content)
    assert a["archive_no"] in text and "sup-3" in text and "档案销毁记录" in text
    assert len(PdfReader(io.BytesIO(record.content)).pages) >= 1
    with runtime.sessions() as s:
        record_key = s.scalar(sa.text("SELECT record_key FROM destruction_lists"))
    assert runtime.archive.get_legal_hold(record_key)  # the record itself is kept forever

    docs = client.get(
        f"/api/v1/cases/{a['case_id']}/documents", headers=login("clerk-b", Role.clerk)
    ).json()
    v = client.get(f"/api/v1/verify/{docs[0]['verify_url'].rsplit('/', 1)[1]}").json()
    assert v["status"] == "destroyed"
    found = client.get(
        "/api/v1/archives", headers=archivist, params={"status": "destroyed"}
    ).json()["items"]
    assert [(h["archive_no"], h["register_id"], h["destruction_list_no"]) for h in found] == [
        (a["archive_no"], entry["id"], lst["list_no"])
    ]
    again = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert again.status_code == 409 and again.json()["error"] == "already_executed"


def test_the_record_is_read_with_no_write_lock_and_audited_before_its_first_byte(
    client: TestClient, archived, login, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = archived()
    list_id, archivist = _approved_list(client, archived, login, [a["archive_no"]])
    _confirm(client, login, list_id, ["sup-1", "sup-2", "sup-3"])
    done = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert done.status_code == 200, done.text
    watch = RequestWatch(runtime, monkeypatch, runtime.archive)

    record = watch.client(client.app).get(
        f"/api/v1/destructions/{list_id}/record", headers=archivist
    )

    assert record.status_code == 200
    assert hashlib.sha256(record.content).hexdigest() == done.json()["record_sha256"]
    assert record.headers["content-length"] == str(len(record.content))
    assert watch.store_reads == ["stat", "stream"]
    assert watch.writer_waited == []  # another writer committed during each read, and mid-body
    assert watch.audit_at_first_byte == ["destruction.record_read"]


def test_archives_not_yet_expired_permanent_or_held_cannot_be_listed(
    client: TestClient, archived, login, runtime: Runtime
) -> None:
    fresh = archived(major=True, wait=False)  # retained for an hour
    permanent = archived(livelihood=True, wait=False)
    held = archived()
    legal = login("legal-a", Role.legal)
    h = client.post(
        f"/api/v1/archives/{held['archive_no']}/holds",
        headers=legal,
        json={"kind": "litigation", "reason": "当事人已提起行政诉讼"},
    )
    assert h.status_code == 201, h.text
    due = [
        d["archive_no"]
        for d in client.get("/api/v1/archives/due", headers=archived.archivist).json()
    ]
    assert due == []
    r = _propose(
        client,
        archived.archivist,
        [fresh["archive_no"], permanent["archive_no"], held["archive_no"]],
    )
    assert r.status_code == 409 and r.json()["error"] == "not_destroyable"
    reasons = {p["archive_no"]: p["reason"] for p in r.json()["detail"]["archives"]}
    assert "retained until" in reasons[fresh["archive_no"]]
    assert "permanently" in reasons[permanent["archive_no"]]
    assert "hold" in reasons[held["archive_no"]]

    released = client.post(
        f"/api/v1/archives/{held['archive_no']}/holds/{h.json()['id']}/release",
        headers=legal,
        json={"reason": "诉讼已终结"},
    )
    assert released.status_code == 200
    assert released.json()["released_by"] == "user:legal-a"
    assert _propose(client, archived.archivist, [held["archive_no"]]).status_code == 201


def test_a_hold_placed_after_approval_stops_execution(
    client: TestClient, archived, login, runtime: Runtime
) -> None:
    a = archived()
    list_id, archivist = _approved_list(client, archived, login, [a["archive_no"]])
    _confirm(client, login, list_id, ["sup-1", "sup-2", "sup-3"])
    client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=archivist,
        json={"kind": "complaint", "reason": "收到投诉，需复查"},
    )
    r = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert r.status_code == 409 and "hold" in str(r.json()["detail"])
    key = f"dossiers/{a['archive_no'].split('-')[2]}/{a['archive_no']}.pdf"
    assert runtime.archive.get_legal_hold(key)


def test_the_same_supervisor_twice_and_unapproved_lists_are_refused(
    client: TestClient, archived, login
) -> None:
    a = archived()
    r = _propose(client, archived.archivist, [a["archive_no"]])
    list_id = r.json()["id"]
    sup = login("sup-1", Role.supervisor)
    unapproved = client.post(f"/api/v1/destructions/{list_id}/confirmations", headers=sup)
    assert unapproved.status_code == 409
    ex = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archived.archivist)
    assert ex.status_code == 409 and ex.json()["error"] == "illegal_transition"
    leader = login("leader-a", Role.leader)
    client.post(
        f"/api/v1/destructions/{list_id}/decision",
        headers=leader,
        json={"approve": True, "comment": "同意"},
    )
    assert (
        client.post(f"/api/v1/destructions/{list_id}/confirmations", headers=sup).status_code == 201
    )
    twice = client.post(f"/api/v1/destructions/{list_id}/confirmations", headers=sup)
    assert twice.status_code == 409


def test_a_rejected_list_cannot_be_executed(client: TestClient, archived, login) -> None:
    a = archived()
    list_id = _propose(client, archived.archivist, [a["archive_no"]]).json()["id"]
    leader = login("leader-a", Role.leader)
    r = client.post(
        f"/api/v1/destructions/{list_id}/decision",
        headers=leader,
        json={"approve": False, "comment": "暂缓销毁"},
    )
    assert r.json()["status"] == "rejected"
    ex = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archived.archivist)
    assert ex.status_code == 409


def test_a_supervisor_who_proposed_or_approved_cannot_confirm(
    client: TestClient, archived, login, runtime: Runtime
) -> None:
    a = archived()
    list_id, _ = _approved_list(client, archived, login, [a["archive_no"]])
    # the same people later hold the supervisor role
    with runtime.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE users SET role = 'supervisor' WHERE username IN ('archivist-a', 'leader-a')"
            )
        )
    proposer = client.post(
        f"/api/v1/destructions/{list_id}/confirmations", headers=archived.archivist
    )
    assert proposer.status_code == 403 and proposer.json()["error"] == "separation_of_duties"
    approver = client.post(
        f"/api/v1/destructions/{list_id}/confirmations", headers=_token(client, "leader-a")
    )
    assert approver.status_code == 403 and approver.json()["error"] == "separation_of_duties"


def test_the_proposer_cannot_approve_their_own_list(
    client: TestClient, archived, login, runtime: Runtime
) -> None:
    a = archived()
    list_id = _propose(client, archived.archivist, [a["archive_no"]]).json()["id"]
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("UPDATE users SET role = 'leader' WHERE username = 'archivist-a'"))
    r = client.post(
        f"/api/v1/destructions/{list_id}/decision",
        headers=archived.archivist,
        json={"approve": True, "comment": "同意"},
    )
    assert r.status_code == 403 and r.json()["error"] == "separation_of_duties"


def test_a_crash_midway_leaves_each_archive_whole_and_a_rerun_finishes(
    client: TestClient, archived, login, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = archived(wait=False, party="甲公司"), archived(party="乙公司")
    list_id, archivist = _approved_list(
        client, archived, login, [first["archive_no"], second["archive_no"]]
    )
    _confirm(client, login, list_id, ["sup-1", "sup-2", "sup-3"])
    import service.destruction.service as destruction

    real = destruction._destroy_one
    calls: list[int] = []

    def crash_on_second(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        real(*args, **kwargs)

    monkeypatch.setattr(destruction, "_destroy_one", crash_on_second)
    with pytest.raises(RuntimeError):
        client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    monkeypatch.undo()
    lst = client.get(f"/api/v1/destructions/{list_id}", headers=archivist).json()
    assert lst["status"] == "executing"
    done = {i["archive_no"]: i["destroyed_at"] is not None for i in lst["items"]}
    assert done == {first["archive_no"]: True, second["archive_no"]: False}
    key = f"dossiers/{second['archive_no'].split('-')[2]}/{second['archive_no']}.pdf"
    assert runtime.archive.exists(key)  # untouched
    r = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "executed"
    register = client.get("/api/v1/destruction-register", headers=archivist).json()
    assert sorted(e["archive_no"] for e in register) == sorted(
        [first["archive_no"], second["archive_no"]]
    )


def test_a_cut_after_the_versions_are_deleted_is_finished_by_a_rerun(
    client: TestClient, archived, login, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one window that is not atomic: every version deleted, the register not written."""
    a = archived()
    list_id, archivist = _approved_list(client, archived, login, [a["archive_no"]])
    _confirm(client, login, list_id, ["sup-1", "sup-2", "sup-3"])
    import service.destruction.service as destruction

    def cut(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut before the register")

    monkeypatch.setattr(destruction, "_register", cut)
    with pytest.raises(RuntimeError):
        client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    monkeypatch.undo()

    key = f"dossiers/{a['archive_no'].split('-')[2]}/{a['archive_no']}.pdf"
    assert [v for v in runtime.archive.list_versions(key) if v.key == key] == []
    assert client.get("/api/v1/destruction-register", headers=archivist).json() == []
    lst = client.get(f"/api/v1/destructions/{list_id}", headers=archivist).json()
    assert lst["status"] == "executing"

    r = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert r.status_code == 200 and r.json()["status"] == "executed", r.text
    [entry] = client.get("/api/v1/destruction-register", headers=archivist).json()
    assert entry["archive_no"] == a["archive_no"]
    assert "earlier run" in str(entry["store_answer"])
    # what the cut run deleted is in the trail, in the order it happened
    auditor = login("auditor-w", Role.auditor)
    trail = client.get(
        "/api/v1/audit", params={"target_id": a["archive_no"], "limit": 50}, headers=auditor
    ).json()["items"]
    actions = [e["action"] for e in trail]
    assert actions.count("archive.versions_deleted") == 2 and actions.count("archive.destroy") == 1
    first_note = next(e for e in trail if e["action"] == "archive.versions_deleted")
    assert any(x.get("version_id") for x in first_note["detail"]["store"])
    detail = client.get(f"/api/v1/archives/{a['archive_no']}", headers=archivist).json()
    assert detail["status"] == "destroyed"
