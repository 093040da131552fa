"""`anjuan archive verify` reports every finding; `anjuan archive reconcile` lists and repairs."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.archives.checks import reconcile, verify_archive
from service.archives.models import Archive
from service.cli import app
from service.runtime import Runtime
from tests.service.cli_env import cli_env

runner = CliRunner()


def _archived(client: TestClient, archivist, closed_case) -> dict:
    r = client.post(f"/api/v1/cases/{closed_case()['id']}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_sound_archive_verifies_clean(
    client: TestClient, archivist, closed_case, runtime: Runtime, s3_endpoint, monkeypatch
) -> None:
    a = _archived(client, archivist, closed_case)
    with runtime.sessions() as s:
        archive = s.scalars(sa.select(Archive)).one()
        assert verify_archive(runtime.settings, runtime.archive, archive).ok
    cli_env(monkeypatch, runtime, s3_endpoint)
    result = runner.invoke(app, ["archive", "verify", a["archive_no"]])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


def test_a_tampered_record_gets_every_finding_reported(
    client: TestClient, archivist, closed_case, runtime: Runtime, s3_endpoint, monkeypatch
) -> None:
    _archived(client, archivist, closed_case)
    with runtime.engine.begin() as conn:
        row = conn.execute(sa.select(Archive.id, Archive.contents)).one()
        contents = [dict(c) for c in row.contents]
        contents[0]["sha256"] = "0" * 64
        conn.execute(sa.update(Archive).values(sha256="f" * 64, page_count=1, contents=contents))
    with runtime.sessions() as s:
        archive = s.scalars(sa.select(Archive)).one()
        report = verify_archive(runtime.settings, runtime.archive, archive)
    codes = {f.code for f in report.findings}
    assert {
        "dossier_hash_mismatch",
        "page_count",
        "manifest_mismatch",
        "attachment_mismatch",
    } <= codes
    cli_env(monkeypatch, runtime, s3_endpoint)
    result = runner.invoke(app, ["archive", "verify", "--all"])
    assert result.exit_code == 1
    assert "dossier_hash_mismatch" in result.output and "page_count" in result.output


def test_reconcile_lists_orphans_and_repairs_lagging_statuses(
    client: TestClient, archivist, closed_case, runtime: Runtime
) -> None:
    a = _archived(client, archivist, closed_case)
    runtime.archive.put(
        "dossiers/2026/ORPHAN.pdf",
        b"%PDF-1.7 left by a failed archiving",
        content_type="application/pdf",
    )
    with runtime.engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET status = 'closed'"))
        conn.execute(sa.text("UPDATE documents SET status = 'valid'"))
    with runtime.sessions() as s:
        result = reconcile(runtime.archive, s)
        s.commit()
    assert [o.split(" ")[0] for o in result.objects_without_record] == ["dossiers/2026/ORPHAN.pdf"]
    assert result.records_without_object == []
    assert any("marked archived" in r for r in result.repaired)
    case = client.get(f"/api/v1/cases/{a['case_id']}", headers=archivist)
    assert case.status_code == 403 or case.json()["status"] == "archived"
    with runtime.sessions() as s:
        assert s.scalar(sa.text("SELECT status FROM cases")) == "archived"
