"""A case with materials archived: a PDF and a photo filed among the documents, the video kept
beside the dossier under the same lock; verified, idempotent, a new material a new version."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from archive.dossier import inspect_dossier
from archive.embedded_s3 import S3Endpoint
from archive.objects import ObjectLocked
from service import clock
from service.archives.checks import verify_archive
from service.archives.models import Archive
from service.cli import app
from service.runtime import Runtime
from tests import material_files as files
from tests.preflight import preflight_errors
from tests.service.cli_env import cli_env

YEAR = clock.today().year


def upload(
    client: TestClient, headers: dict[str, str], case_id: int, data: bytes, **fields: str
) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/cases/{case_id}/materials",
        headers=headers,
        data=fields,
        files={"file": ("upload", data, "application/octet-stream")},
    )
    assert r.status_code == 201, r.text
    return r.json()


def _page_words(pdf: bytes, tmp: Path, page: int) -> list[tuple[str, float, float]]:
    path = tmp / "dossier.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        (w, float(x), float(y))
        for x, y, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html
        )
    ]


def _list_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "list.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def with_materials(client: TestClient, clerk: dict[str, str], closed_case) -> dict[str, Any]:
    """A closed case with a photo taken before the documents, then a report and a video."""
    case = closed_case()
    today = clock.today()
    photo = files.jpeg(1600, 900)
    report = files.scanned_pdf(2)
    video = files.mp4(90)
    made = {
        "photo": upload(
            client,
            clerk,
            case["id"],
            photo,
            kind="photo",
            title="后厨现场照片",
            date="2026-09-02",  # the site inspection, before the 01 of 2026-09-03
        ),
        "report": upload(
            client,
            clerk,
            case["id"],
            report,
            kind="rectification_report",
            title="整改情况报告",
            date=today.isoformat(),
        ),
        "video": upload(
            client,
            clerk,
            case["id"],
            video,
            kind="recording",
            title="约谈现场录像",
            date=today.isoformat(),
        ),
    }
    return {
        "case": case,
        "materials": made,
        "bytes": {"photo": photo, "report": report, "video": video},
    }


def test_a_case_with_materials_is_archived_verified_and_its_video_locked(
    client: TestClient,
    archivist,
    with_materials,
    runtime: Runtime,
    tmp_path: Path,
    s3_endpoint: S3Endpoint,
    monkeypatch: pytest.MonkeyPatch,
    prerequisite_missing: Callable[[str], NoReturn],
) -> None:
    case, made = with_materials["case"], with_materials["materials"]
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    a = r.json()
    detail = client.get(f"/api/v1/archives/{a['archive_no']}", headers=archivist).json()
    assert detail["integrity"]["ok"], detail["integrity"]
    rows = {m["title"]: m for m in detail["materials"]}
    assert rows["后厨现场照片"]["page_numbers"] == [1, 1]  # dated before every document
    assert rows["整改情况报告"]["page_numbers"][1] - rows["整改情况报告"]["page_numbers"][0] == 1
    video = rows["约谈现场录像"]
    assert video["page_numbers"] is None and video["attachment"] is None
    assert video["sha256"] == made["video"]["sha256"]

    f = client.get(f"/api/v1/archives/{a['archive_no']}/file", headers=archivist)
    pdf = f.content
    inspection = inspect_dossier(pdf)
    assert inspection.ok, inspection.findings
    assert preflight_errors(pdf, tmp_path, prerequisite_missing) == []
    manifest_media = [m for m in inspection.manifest["materials"] if m["filing"] == "separate"]
    assert [(m["sha256"], m["object_key"]) for m in manifest_media] == [
        (made["video"]["sha256"], video["object_key"])
    ]
    reader = PdfReader(io.BytesIO(pdf))
    docs_pages = sum(d["pages"] for d in detail["documents"])
    assert len(reader.pages) == a["page_count"] == 2 + 1 + docs_pages + 2 + 1
    # every numbered page carries its 页号, the materials' pages too
    for page in range(3, a["page_count"]):
        width = float(reader.pages[page - 1].mediabox.width)
        corner = [w for w, x, y in _page_words(pdf, tmp_path, page) if x > width - 120 and y < 60]
        assert corner == [str(page - 2)], (page, corner)
    listed = _list_text(pdf, tmp_path)
    photo_row = next(line for line in listed.splitlines() if "后厨现场照片" in line).split()
    assert photo_row[0] == "1" and photo_row[-1] == "1"
    report_row = next(line for line in listed.splitlines() if "整改情况报告" in line).split()
    assert report_row[-1] == f"{docs_pages + 2}-{docs_pages + 3}"
    video_row = next(line for line in listed.splitlines() if "约谈现场录像" in line).split()
    assert video_row[0] == "13" and video_row[-1] == clock.today().strftime("%Y%m%d")
    compact = re.sub(r"\s+", "", listed)
    assert "中村市某某餐饮" in compact  # 责任者 of the party's report (wrapped in its cell)
    last = re.sub(
        r"\s+",
        "",
        subprocess.run(
            [
                "pdftotext",
                "-f",
                str(a["page_count"]),
                "-l",
                str(a["page_count"]),
                str(tmp_path / "list.pdf"),
                "-",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout,
    )
    assert f"本卷共13件{docs_pages + 3}页" in last

    # the video: an object of its own, locked like the dossier, its bytes as uploaded
    key = video["object_key"]
    assert key == f"media/{YEAR}/{a['archive_no']}/{made['video']['id']}.mp4"
    stored = runtime.archive.get(key, video["version_id"])
    assert hashlib.sha256(stored).hexdigest() == made["video"]["sha256"]
    retention = runtime.archive.get_retention(key, video["version_id"])
    dossier = runtime.archive.get_retention(f"dossiers/{YEAR}/{a['archive_no']}.pdf")
    assert retention is not None and dossier is not None
    assert (retention.mode, retention.retain_until) == (dossier.mode, dossier.retain_until)
    with pytest.raises(ObjectLocked):
        runtime.archive.delete_version(key, video["version_id"])

    # `anjuan archive verify` re-reads it all and finds nothing
    with runtime.sessions() as s:
        archive = s.scalars(sa.select(Archive)).one()
        report = verify_archive(runtime.settings, runtime.archive, archive)
        assert report.ok, report.findings
    cli_env(monkeypatch, runtime, s3_endpoint)
    result = CliRunner().invoke(app, ["archive", "verify", a["archive_no"]])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output


def test_an_unchanged_case_writes_nothing_and_a_new_material_a_new_version(
    client: TestClient, clerk, archivist, with_materials, runtime: Runtime
) -> None:
    case, made = with_materials["case"], with_materials["materials"]
    first = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist).json()
    dossier_key = f"dossiers/{YEAR}/{first['archive_no']}.pdf"
    media_key = f"media/{YEAR}/{first['archive_no']}/{made['video']['id']}.mp4"

    def versions(key: str) -> int:
        return len([v for v in runtime.archive.list_versions(key) if v.key == key])

    again = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert again.status_code == 200 and again.json()["versions"] == 1
    assert (versions(dossier_key), versions(media_key)) == (1, 1)

    upload(
        client,
        clerk,
        case["id"],
        files.png(),
        kind="authorization",
        title="授权委托书",
        date=clock.today().isoformat(),
    )
    second = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert second.status_code == 201, second.text
    assert second.json()["versions"] == 2 and second.json()["sha256"] != first["sha256"]
    assert (versions(dossier_key), versions(media_key)) == (2, 1)  # the video is not copied again
    detail = client.get(f"/api/v1/archives/{first['archive_no']}", headers=archivist).json()
    assert detail["integrity"]["ok"], detail["integrity"]
    assert [m["title"] for m in detail["materials"]][-1] == "授权委托书"


def test_verify_reports_a_material_whose_record_and_files_disagree(
    client: TestClient, archivist, with_materials, runtime: Runtime
) -> None:
    case = with_materials["case"]
    client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    with runtime.engine.begin() as conn:
        row = conn.execute(sa.select(Archive.id, Archive.materials)).one()
        rows = [dict(m) for m in row.materials]
        for m in rows:
            if m["title"] in ("后厨现场照片", "约谈现场录像"):
                m["sha256"] = "0" * 64
        conn.execute(sa.update(Archive).where(Archive.id == row.id).values(materials=rows))
    with runtime.sessions() as s:
        archive = s.scalars(sa.select(Archive)).one()
        report = verify_archive(runtime.settings, runtime.archive, archive)
    codes = sorted((f.code, f.message.split(":")[0]) for f in report.findings)
    assert codes == [
        ("attachment_mismatch", "material 后厨现场照片"),
        ("manifest_mismatch", "material 后厨现场照片"),
        ("manifest_mismatch", "material 约谈现场录像"),
        ("media_hash_mismatch", "material 约谈现场录像"),
    ]


def test_the_video_follows_the_dossiers_holds_and_retention(
    client: TestClient, user_headers, archivist, with_materials, runtime: Runtime
) -> None:
    from service.auth.models import Role

    case, made = with_materials["case"], with_materials["materials"]
    a = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist).json()
    key = f"media/{YEAR}/{a['archive_no']}/{made['video']['id']}.mp4"
    assert not runtime.archive.get_legal_hold(key)
    hold = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds",
        headers=archivist,
        json={"kind": "litigation", "reason": "当事人提起行政诉讼"},
    )
    assert hold.status_code == 201, hold.text
    assert runtime.archive.get_legal_hold(key)
    released = client.post(
        f"/api/v1/archives/{a['archive_no']}/holds/{hold.json()['id']}/release",
        headers=user_headers(Role.legal),
        json={"reason": "诉讼已终结"},
    )
    assert released.status_code == 200, released.text
    assert not runtime.archive.get_legal_hold(key)
    before = runtime.archive.get_retention(key)
    r = client.post(
        f"/api/v1/archives/{a['archive_no']}/retention",
        headers=archivist,
        json={"class": "D10", "reason": "案情重大，延长保管"},
    )
    assert r.status_code == 200, r.text
    after = runtime.archive.get_retention(key)
    assert before is not None and after is not None and after.retain_until > before.retain_until


def test_reconcile_knows_the_media_objects_and_lists_a_stray_one(
    client: TestClient, archivist, with_materials, runtime: Runtime
) -> None:
    from service.archives.checks import reconcile

    case = with_materials["case"]
    a = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist).json()
    with runtime.sessions() as s:
        assert reconcile(runtime.archive, s).clean
    stray = f"media/{YEAR}/{a['archive_no']}/999.mp4"  # as a failed archiving would leave it
    runtime.archive.put(stray, files.mp4(1), content_type="video/mp4")
    with runtime.sessions() as s:
        found = reconcile(runtime.archive, s)
    assert [o.split(" ")[0] for o in found.objects_without_record] == [stray]
