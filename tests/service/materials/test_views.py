"""Filing materials over HTTP: each type accepted by its content, stored with its SHA-256,
listed, downloaded and audited; a renamed, truncated, encrypted or oversized file refused."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.objects import StorageUnavailable
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.config import Settings
from service.materials import service as material_service
from service.materials.models import Material
from service.runtime import Runtime
from tests import material_files as files
from tests.service.watch import RequestWatch

LIMIT = 400_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small material limit, so that an oversized file is cheap to make."""
    return settings.model_copy(update={"material_max_bytes": LIMIT})


@pytest.fixture
def case(client: TestClient, clerk: dict[str, str]) -> dict[str, Any]:
    r = client.post(
        "/api/v1/cases",
        headers=clerk,
        json={
            "party": {"name": "中村市某某餐饮管理有限公司", "kind": "enterprise"},
            "cause": "后厨",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


def upload(
    client: TestClient,
    headers: dict[str, str],
    case_id: int,
    data: bytes,
    *,
    name: str = "file.bin",
    content_type: str = "application/octet-stream",
    **fields: str,
):
    form = {"kind": "evidence", "title": "现场检查照片", "date": "2026-03-02", **fields}
    return client.post(
        f"/api/v1/cases/{case_id}/materials",
        headers=headers,
        data=form,
        files={"file": (name, data, content_type)},
    )


def actions(runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.sessions() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.target_id).order_by(AuditEntry.seq))
        return [(a, t) for a, t in rows]


@pytest.mark.parametrize(
    "data,fmt,media_type,pages,filing",
    [
        (files.scanned_pdf(2), "pdf", "application/pdf", 2, "pages"),
        (files.jpeg(), "jpeg", "image/jpeg", 1, "pages"),
        (files.png(300, 400), "png", "image/png", 1, "pages"),
        (files.tiff(3, 300, 420), "tiff", "image/tiff", 3, "pages"),
        (files.ofd(2), "ofd", "application/ofd", 2, "attached"),
        (files.mp3(), "mp3", "audio/mpeg", 0, "separate"),
        (files.mp4(3, video=False), "m4a", "audio/mp4", 0, "separate"),
        (files.wav(1.0), "wav", "audio/wav", 0, "separate"),
        (files.mp4(3), "mp4", "video/mp4", 0, "separate"),
    ],
    ids=["pdf", "jpeg", "png", "tiff", "ofd", "mp3", "m4a", "wav", "mp4"],
)
def test_each_type_is_filed_by_its_content_stored_and_audited(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    data: bytes,
    fmt: str,
    media_type: str,
    pages: int,
    filing: str,
) -> None:
    r = upload(client, clerk, case["id"], data, name="upload.dat")
    assert r.status_code == 201, r.text
    m = r.json()
    assert (m["format"], m["media_type"], m["pages"], m["filing"]) == (
        fmt,
        media_type,
        pages,
        filing,
    )
    assert m["sha256"] == hashlib.sha256(data).hexdigest() and m["size"] == len(data)
    assert m["author"] == "中村市综合行政执法局"  # evidence: the agency's unless told
    with runtime.sessions() as s:
        key = s.get_one(Material, m["id"]).storage_key
    assert runtime.documents.stat(key).sha256 == m["sha256"]  # the store verified the bytes
    listed = client.get(f"/api/v1/cases/{case['id']}/materials", headers=clerk).json()
    assert [x["id"] for x in listed] == [m["id"]]
    f = client.get(m["links"]["file"], headers=clerk)
    assert f.status_code == 200 and f.content == data
    assert f.headers["content-type"].startswith(media_type)
    assert f.headers["x-content-sha256"] == m["sha256"]
    assert actions(runtime)[-2:] == [
        ("material.upload", str(m["id"])),
        ("material.download", str(m["id"])),
    ]


def test_a_file_is_read_from_the_store_with_no_write_lock_and_audited_before_its_first_byte(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = files.jpeg()
    m = upload(client, clerk, case["id"], data, name="photo.jpg").json()
    watch = RequestWatch(runtime, monkeypatch, runtime.documents)

    f = watch.client(client.app).get(m["links"]["file"], headers=clerk)

    assert f.status_code == 200 and f.content == data
    assert f.headers["content-length"] == str(len(data))
    assert watch.store_reads == ["stat", "stream"]
    assert watch.writer_waited == []  # another writer committed during each read, and mid-body
    assert watch.audit_at_first_byte == ["material.download"]


def test_the_partys_material_names_the_party_as_author(
    client: TestClient, clerk: dict[str, str], case: dict[str, Any]
) -> None:
    r = upload(client, clerk, case["id"], files.scanned_pdf(1), kind="rectification_report")
    assert r.status_code == 201, r.text
    assert r.json()["author"] == "中村市某某餐饮管理有限公司"
    r = upload(client, clerk, case["id"], files.jpeg(), kind="photo", author="执法队员王某")
    assert r.json()["author"] == "执法队员王某"


def test_a_picture_named_pdf_is_filed_as_the_picture_it_is(
    client: TestClient, clerk: dict[str, str], case: dict[str, Any]
) -> None:
    r = upload(
        client, clerk, case["id"], files.png(), name="report.pdf", content_type="application/pdf"
    )
    assert r.status_code == 201, r.text
    assert (r.json()["format"], r.json()["filename"]) == ("png", "report.pdf")


@pytest.mark.parametrize(
    "data,problem",
    [
        (b"%!PS-Adobe-3.0 a PostScript file renamed report.pdf\n", "unsupported_type"),
        (files.truncated_pdf(), "pdf_truncated"),
        (files.encrypted_pdf(), "pdf_encrypted"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog\n%%EOF\n", "pdf_broken"),
    ],
    ids=["renamed-non-pdf", "truncated-pdf", "encrypted-pdf", "broken-pdf"],
)
def test_a_file_that_is_not_what_it_claims_is_refused_naming_the_problem(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    data: bytes,
    problem: str,
) -> None:
    r = upload(client, clerk, case["id"], data, name="report.pdf", content_type="application/pdf")
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert (detail["field"], detail["type"], detail["label"]) == ("file", problem, "材料文件")
    assert client.get(f"/api/v1/cases/{case['id']}/materials", headers=clerk).json() == []
    assert not list(runtime.documents.list("materials/"))  # nothing stored


def test_an_oversized_file_is_refused_with_413(
    client: TestClient, clerk: dict[str, str], case: dict[str, Any], runtime: Runtime
) -> None:
    just_over = files.jpeg() + b"\x00" * (LIMIT + 1 - len(files.jpeg()))
    r = upload(client, clerk, case["id"], just_over)
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large", r.text
    far_over = b"\x00" * (LIMIT * 3)  # refused by its Content-Length before it is read
    r = upload(client, clerk, case["id"], far_over)
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    assert not list(runtime.documents.list("materials/"))


def test_bad_metadata_is_refused_naming_the_field(
    client: TestClient, clerk: dict[str, str], case: dict[str, Any]
) -> None:
    r = upload(client, clerk, case["id"], files.jpeg(), kind="diary", title="")
    assert r.status_code == 422
    fields = {p["field"] for p in r.json()["detail"]}
    assert {"kind", "title"} <= fields
    r = upload(client, clerk, case["id"], files.jpeg(), title="照片\x07")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "title"
    r = upload(client, clerk, case["id"], files.jpeg(), author="王\x07", ref_no="x" * 65)
    assert r.status_code == 422
    assert {p["field"] for p in r.json()["detail"]} == {"author", "ref_no"}


def test_a_retry_with_the_same_key_replays_and_another_upload_is_refused(
    client: TestClient, clerk: dict[str, str], case: dict[str, Any], runtime: Runtime
) -> None:
    key = {"Idempotency-Key": "photo-1"}
    first = upload(client, {**clerk, **key}, case["id"], files.jpeg())
    again = upload(client, {**clerk, **key}, case["id"], files.jpeg())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = upload(client, {**clerk, **key}, case["id"], files.png())
    assert other.status_code == 409 and other.json()["error"] == "idempotency_key_reused"
    assert len(list(runtime.documents.list("materials/"))) == 1


def test_a_twin_recorded_first_wins_and_the_late_file_is_deleted_outside_the_lock(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = {"Idempotency-Key": "photo-twin"}
    first = upload(client, {**clerk, **key}, case["id"], files.jpeg())
    real_replay = material_service._replay
    looks = []

    def not_yet_at_the_first_look(*args: Any) -> Any:
        looks.append(args)
        return None if len(looks) == 1 else real_replay(*args)  # the twin was still storing

    watch = RequestWatch(runtime, monkeypatch)
    deleted: list[bool] = []
    real_delete = runtime.documents.delete
    monkeypatch.setattr(material_service, "_replay", not_yet_at_the_first_look)
    monkeypatch.setattr(
        runtime.documents,
        "delete",
        lambda k: (deleted.append(watch.writer_commits()), real_delete(k))[1],
    )
    late = upload(client, {**clerk, **key}, case["id"], files.jpeg())

    assert (first.status_code, late.status_code) == (201, 200)
    assert late.json()["id"] == first.json()["id"] and len(looks) == 2
    assert deleted == [True]  # deleted, and another writer could commit meanwhile
    assert len(list(runtime.documents.list("materials/"))) == 1


def test_storage_down_records_nothing(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise StorageUnavailable("store down")

    monkeypatch.setattr(runtime.documents, "put", down)
    r = upload(client, clerk, case["id"], files.jpeg())
    assert r.status_code == 503
    with runtime.sessions() as s:
        assert s.scalars(select(Material)).all() == []
    assert "material.upload" not in [a for a, _ in actions(runtime)]


def test_a_failed_record_removes_the_stored_file(
    client: TestClient,
    clerk: dict[str, str],
    case: dict[str, Any],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import service.materials.service as material_service

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(material_service, "record", broken)
    with pytest.raises(RuntimeError):  # the test client re-raises what became a 500
        upload(client, clerk, case["id"], files.jpeg())
    assert not list(runtime.documents.list("materials/"))


def test_readers_read_and_only_clerks_and_systems_upload(
    client: TestClient, user_headers, key_headers, case: dict[str, Any]
) -> None:
    m = upload(client, key_headers(Role.system), case["id"], files.jpeg()).json()
    for role in (Role.legal, Role.archivist, Role.leader, Role.auditor):
        assert client.get(m["links"]["file"], headers=user_headers(role)).status_code == 200
        assert upload(client, user_headers(role), case["id"], files.jpeg()).status_code == 403
    assert client.get(m["links"]["file"], headers=user_headers(Role.supervisor)).status_code == 403
