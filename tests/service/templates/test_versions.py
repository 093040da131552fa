"""The legal section's templates as versioned data: an edit made in Word is uploaded, linted,
fixed, previewed, activated, issued with, rolled back — and a case holding documents of two
versions of one template is archived with a clean 四性 report."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from doc_templates import get_template
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.documents.models import Document
from service.runtime import Runtime
from tests.service.flow import CLOSED_ON, case_body, issue
from tests.service.templates import word_edits as word

TAG = "{{ doc.doc_no }}"
SENTENCE = "受送达人收到上列文书后，请在下方签名并写明签收时间。"
REWORDED = "受送达人收到上列文书后，请在下方签名，并写明签收的具体时间。"


def _edited_in_word(*, fixed: bool) -> bytes:
    """05 as the legal section edits it in Word: the case table moved under the list of
    documents, a sentence reworded; unfixed also a tag split by a bold half and the title in
    a face the office lacks."""
    docx = word.move_first_table_after_second(word.builtin("05"))
    docx = word.reword(docx, SENTENCE, REWORDED)
    if not fixed:
        docx = word.split_run_by_style(docx, TAG, 6)
        docx = word.set_face(docx, "送达回证", "华文彩云")
    return docx


def _upload(client: TestClient, headers: dict[str, str], docx: bytes, note: str = "") -> Any:
    return client.post(
        "/api/v1/templates/05/versions",
        headers=headers,
        files={"file": ("05-送达回证.docx", docx, "application/octet-stream")},
        data={"note": note},
    )


def _serving(ids: dict[str, int], code: str, signed_at: str) -> dict[str, Any]:
    from tests.service.flow import flow_data

    data = flow_data("05", ids)
    data["documents"] = [{"document_id": ids[code], "copies": 1}]
    data["receipt"]["signed_at"] = signed_at
    return data


def test_a_word_edit_is_linted_fixed_activated_issued_rolled_back_and_archived_clean(
    client: TestClient, user_headers: Any, runtime: Runtime
) -> None:
    clerk, legal = user_headers(Role.clerk), user_headers(Role.legal)
    archivist = user_headers(Role.archivist)
    case = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()
    ids: dict[str, int] = {}
    for code in ["01", "02", "03", "04", "05"]:
        issue(client, clerk, case["id"], code, ids)
    builtin = get_template("05").version
    first_05 = client.get(f"/api/v1/documents/{ids['05']}", headers=clerk).json()

    # the edit with its defects: a draft with every finding, which cannot be activated
    r = _upload(client, legal, _edited_in_word(fixed=False), "表格调整")
    assert r.status_code == 201, r.text
    broken = r.json()
    assert broken["status"] == "draft" and not broken["activatable"]
    kinds = {(f["kind"], f["detail"]) for f in broken["findings"]}
    assert ("split-tag", f"tag split across runs: {TAG!r}") in kinds
    assert any(k == "font" and "华文彩云" in d for k, d in kinds)
    r = client.post(broken["links"]["activate"], headers=legal)
    assert r.status_code == 409 and r.json()["error"] == "template_has_findings"
    assert len(r.json()["detail"]["findings"]) == len(broken["findings"])

    # fixed in Word and uploaded again: clean, previewed, then activated
    r = _upload(client, legal, _edited_in_word(fixed=True), "表格调整（已修正）")
    assert r.status_code == 201, r.text
    fixed = r.json()
    assert fixed["findings"] == [] and fixed["activatable"] and fixed["status"] == "draft"
    assert fixed["version"] not in (builtin, broken["version"])
    specimen = client.get(fixed["links"]["specimen_docx"], headers=legal)
    assert specimen.status_code == 200
    assert REWORDED in word.body_text(specimen.content) and "样本" in word.body_text(
        specimen.content
    )
    pdf = client.get(fixed["links"]["specimen_pdf"], headers=legal)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _upload(client, legal, _edited_in_word(fixed=True)).status_code == 200  # same file
    assert client.post(fixed["links"]["activate"], headers=clerk).status_code == 403
    r = client.post(fixed["links"]["activate"], headers=legal)
    assert r.status_code == 200 and r.json()["status"] == "active"

    # issued with the new version: the document is pinned to its row and shows the edit
    for code in ["07", "08"]:
        issue(client, clerk, case["id"], code, ids)
    second = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "05", "data": _serving(ids, "08", "2026-09-18T10:00:00")},
    )
    assert second.status_code == 201, second.text
    second_05 = second.json()
    docx = client.get(second_05["links"]["docx"], headers=clerk).content
    assert REWORDED in word.body_text(docx)
    with runtime.sessions() as s:
        pinned = {
            d.id: (d.template_version, d.template_version_id)
            for d in s.scalars(select(Document).where(Document.template_code == "05"))
        }
    assert pinned[first_05["id"]][0] == builtin and pinned[second_05["id"]][0] == fixed["version"]
    assert all(version_id is not None for _, version_id in pinned.values())

    # rollback: the built-in version again; the edited one retires and stays known
    r = client.post(f"/api/v1/templates/05/versions/{builtin[:12]}/activate", headers=legal)
    assert r.status_code == 200 and r.json()["version"] == builtin
    statuses = {
        v["version"]: v["status"]
        for v in client.get("/api/v1/templates/05/versions", headers=clerk).json()
    }
    assert statuses == {builtin: "active", fixed["version"]: "retired", broken["version"]: "draft"}
    assert client.get("/api/v1/templates/05", headers=clerk).json()["version"] == builtin

    for code in ["09", "10", "11"]:
        issue(client, clerk, case["id"], code, ids)
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    archive = client.get(f"/api/v1/archives/{r.json()['archive_no']}", headers=archivist).json()
    report = archive["integrity"]
    assert report["ok"], report
    parts = report["authenticity"]["parts"]
    assert {p["template_version"] for p in parts if p["template"] == "05"} == {
        builtin,
        fixed["version"],
    }

    with runtime.sessions() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("template.%"))
        ).all()
    assert actions.count("template.activate") >= 3  # seed, the fix, the rollback
    assert actions.count("template.upload") >= 3  # the built-in, the broken and the fixed


def test_the_version_docx_is_the_uploaded_file_byte_for_byte(
    client: TestClient, user_headers: Any
) -> None:
    legal = user_headers(Role.legal)
    docx = _edited_in_word(fixed=True)
    version = _upload(client, legal, docx).json()
    got = client.get(version["links"]["docx"], headers=legal)
    assert got.status_code == 200 and got.content == docx


def test_an_upload_that_is_not_a_docx_is_a_422_naming_the_file(
    client: TestClient, user_headers: Any
) -> None:
    legal = user_headers(Role.legal)
    r = _upload(client, legal, b"%PDF-1.7\n not a Word file")
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["field"] == "file" and problem["type"] == "not_docx"
    assert problem["label"] == "模板文件"


def test_only_the_legal_section_uploads_and_activates(
    client: TestClient, user_headers: Any
) -> None:
    for role in (Role.clerk, Role.archivist, Role.leader, Role.auditor):
        r = _upload(client, user_headers(role), _edited_in_word(fixed=True))
        assert r.status_code == 403, role
    r = client.get("/api/v1/templates/05/versions", headers=user_headers(Role.auditor))
    assert r.status_code == 200 and [v["source"] for v in r.json()] == ["builtin"]


def test_an_unknown_version_is_404_and_an_ambiguous_prefix_is_refused(
    client: TestClient, user_headers: Any
) -> None:
    legal = user_headers(Role.legal)
    r = client.post("/api/v1/templates/05/versions/0000000000/activate", headers=legal)
    assert r.status_code == 404 and r.json()["error"] == "unknown_template_version"
    r = client.post("/api/v1/templates/05/versions/abc/activate", headers=legal)
    assert r.status_code == 422  # shorter than 8 digits


def test_listing_versions_is_a_read_that_answers_while_another_writer_holds_the_lock(
    client: TestClient, user_headers: Any, runtime: Runtime
) -> None:
    url = runtime.settings.resolved_database_url
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock is what a read must not wait for")
    legal = user_headers(Role.legal)
    assert client.get("/api/v1/templates/05/versions", headers=legal).status_code == 200  # seeds
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        r = client.get("/api/v1/templates/05/versions", headers=legal)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert r.status_code == 200, r.text
    assert [v["source"] for v in r.json()] == ["builtin"]
