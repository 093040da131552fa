"""Built-in versions at start: a new packaged DOCX goes live while the office uses the
built-in one, waits as a draft once the office has its own, and documents issued before the
registry existed are linked to the version that rendered them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from doc_templates import Template, get_template
from service.auth.models import Role
from service.db import transaction
from service.documents.models import Document
from service.runtime import Runtime
from service.templates import repository
from service.templates.models import TemplateVersion, VersionSource, VersionStatus
from service.templates.service import seed, seed_builtins
from tests.service.flow import case_body, run_flow
from tests.service.templates import word_edits as word

SENTENCE = "受送达人收到上列文书后，请在下方签名并写明签收时间。"


def _next_release(tmp_path: Path, wording: str) -> Template:
    """05 as a later release of the service would package it (reworded)."""
    path = tmp_path / f"05-{len(wording)}.docx"
    path.write_bytes(word.reword(word.builtin("05"), SENTENCE, wording))
    return dataclasses.replace(get_template("05"), docx_path=path)


def _statuses(runtime: Runtime) -> dict[str, tuple[VersionStatus, VersionSource]]:
    with transaction(runtime.sessions) as s:
        return {r.version: (r.status, r.source) for r in repository.versions(s, "05")}


def test_a_new_builtin_version_goes_live_while_the_office_uses_the_builtin_one(
    client: TestClient, runtime: Runtime, tmp_path: Path
) -> None:
    shipped = get_template("05").version
    with transaction(runtime.sessions) as s:  # as the service does at start
        seed_builtins(s, runtime.settings, runtime.documents)
    assert _statuses(runtime) == {shipped: (VersionStatus.active, VersionSource.builtin)}
    release = _next_release(tmp_path, "受送达人收到上列文书后，请签名并写明签收时间。")
    with transaction(runtime.sessions) as s:
        row = seed(s, runtime.settings, runtime.documents, release)
    assert _statuses(runtime) == {
        shipped: (VersionStatus.retired, VersionSource.builtin),
        row.version: (VersionStatus.active, VersionSource.builtin),
    }
    with transaction(runtime.sessions) as s:  # seeding again changes nothing
        assert seed(s, runtime.settings, runtime.documents, release).id == row.id


def test_a_new_builtin_version_waits_as_a_draft_once_the_office_has_its_own(
    client: TestClient, runtime: Runtime, user_headers, tmp_path: Path
) -> None:
    legal = user_headers(Role.legal)
    own = word.reword(word.builtin("05"), SENTENCE, "请受送达人在下方签名，并写明签收时间。")
    up = client.post(
        "/api/v1/templates/05/versions",
        headers=legal,
        files={"file": ("05.docx", own, "application/octet-stream")},
    ).json()
    r = client.post(f"/api/v1/templates/05/versions/{up['version']}/activate", headers=legal)
    assert r.status_code == 200, r.text

    release = _next_release(tmp_path, "受送达人收到上列文书后，请签名并写明签收时间。")
    with transaction(runtime.sessions) as s:
        row = seed(s, runtime.settings, runtime.documents, release)
    statuses = _statuses(runtime)
    assert statuses[up["version"]] == (VersionStatus.active, VersionSource.upload)
    assert statuses[row.version] == (VersionStatus.draft, VersionSource.builtin)


def test_documents_issued_before_the_registry_point_at_their_version_once_it_is_seeded(
    client: TestClient, runtime: Runtime, clerk
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, ["01"])
    template = get_template("01")
    with transaction(runtime.sessions) as s:  # as a database from before the registry
        s.execute(update(Document).values(template_version_id=None))
        s.execute(delete(TemplateVersion).where(TemplateVersion.code == "01"))
    with transaction(runtime.sessions) as s:
        row = seed(s, runtime.settings, runtime.documents, template)
        doc = s.scalars(select(Document).where(Document.id == ids["01"])).one()
        assert (doc.template_version, doc.template_version_id) == (row.version, row.id)
        assert row.status == VersionStatus.active
