"""ObjectStore against a real SeaweedFS: integrity, versions, object lock, presigned URLs.

What SeaweedFS 4.x does, as these tests pin down:
- it verifies ``x-amz-checksum-sha256`` (BadDigest on mismatch) and echoes it on PUT/HEAD;
- a locked version refuses ``DELETE ?versionId=`` with a bare 403 AccessDenied;
- GOVERNANCE yields to ``x-amz-bypass-governance-retention``, COMPLIANCE to nothing;
- COMPLIANCE can be extended but not shortened, and expires at retain-until.
"""

from __future__ import annotations

import base64
import hashlib
import io
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from minio import Minio
from minio.error import S3Error

from archive.objects import (
    ObjectLocked,
    ObjectNotFound,
    ObjectRetention,
    StorageError,
    StorageIntegrityError,
    content_disposition,
)
from archive.storage import ObjectStore

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_round_trip_keeps_bytes_sha256_and_chinese_metadata(object_store: ObjectStore) -> None:
    metadata = {"doc-no": "中村约询〔2025〕1号", "note": "100% 原件, a/b=c"}
    stored = object_store.put(
        "documents/2025/1/询问笔录.pdf", PDF, content_type="application/pdf", metadata=metadata
    )

    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)
    assert object_store.get(stored.key) == PDF
    assert b"".join(object_store.stream(stored.key, chunk_size=1000)) == PDF
    info = object_store.stat(stored.key)
    assert (info.size, info.sha256) == (len(PDF), stored.sha256)
    assert info.content_type == "application/pdf"
    assert info.metadata == metadata
    assert object_store.exists(stored.key)
    assert [o.key for o in object_store.list("documents/2025/")] == [stored.key]


def test_put_refuses_a_sha256_that_does_not_match_the_bytes(object_store: ObjectStore) -> None:
    with pytest.raises(StorageIntegrityError):
        object_store.put("x", b"data", content_type="text/plain", metadata={"sha256": "0" * 64})
    assert not object_store.exists("x")


def test_store_rejects_a_body_whose_checksum_header_is_wrong(
    s3_client: Minio, object_store: ObjectStore
) -> None:
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    with pytest.raises(S3Error) as rejected:
        s3_client.put_object(
            object_store.bucket,
            "bad",
            io.BytesIO(b"data"),
            4,
            metadata={"x-amz-checksum-sha256": wrong},
        )
    assert rejected.value.code == "BadDigest"
    assert not object_store.exists("bad")


def test_missing_objects_raise_object_not_found(object_store: ObjectStore) -> None:
    for read in (object_store.get, object_store.stat, object_store.stream):
        with pytest.raises(ObjectNotFound):
            read("nope")
    assert not object_store.exists("nope")


def test_metadata_keys_must_be_plain_ascii(object_store: ObjectStore) -> None:
    with pytest.raises(ValueError, match="metadata key"):
        object_store.put("k", b"v", content_type="text/plain", metadata={"文号": "1"})


def test_object_lock_bucket_keeps_every_version(archive_store: ObjectStore) -> None:
    first = archive_store.put("dossier.zip", b"v1", content_type="application/zip")
    second = archive_store.put("dossier.zip", b"v2", content_type="application/zip")

    assert first.version_id and second.version_id and first.version_id != second.version_id
    assert archive_store.get("dossier.zip") == b"v2"
    assert archive_store.get("dossier.zip", first.version_id) == b"v1"
    assert archive_store.stat("dossier.zip", first.version_id).sha256 == first.sha256
    versions = {v.version_id: v for v in archive_store.list_versions("dossier")}
    assert set(versions) == {first.version_id, second.version_id}
    assert versions[second.version_id].is_latest and not versions[first.version_id].is_latest


def test_ensure_bucket_refuses_an_existing_bucket_without_object_lock(
    object_store: ObjectStore,
) -> None:
    object_store.ensure_bucket()  # idempotent
    with pytest.raises(StorageError, match="without object lock"):
        object_store.ensure_bucket(object_lock=True)


def test_compliance_retention_refuses_every_deletion(
    s3_client: Minio, archive_store: ObjectStore
) -> None:
    until = soon(3600)
    stored = archive_store.put(
        "a.pdf", PDF, content_type="application/pdf", retention=("COMPLIANCE", until)
    )
    key, version = stored.key, stored.version_id
    assert version is not None
    retention = archive_store.get_retention(key, version)
    assert retention is not None and retention.mode == "COMPLIANCE"
    assert abs((retention.retain_until - until).total_seconds()) < 1

    with pytest.raises(S3Error) as direct:
        s3_client.remove_object(archive_store.bucket, key, version_id=version)
    assert direct.value.code == "AccessDenied"
    with pytest.raises(ObjectLocked, match="COMPLIANCE"):
        archive_store.delete_version(key, version)
    with pytest.raises(ObjectLocked):
        archive_store.delete_version(key, version, bypass_governance=True)
    with pytest.raises(ObjectLocked):
        archive_store.set_retention(key, "COMPLIANCE", soon(60), version)
    archive_store.set_retention(key, "COMPLIANCE", until + timedelta(days=1), version)
    with pytest.raises(S3Error):
        s3_client.remove_bucket(archive_store.bucket)
    assert archive_store.get(key, version) == PDF


def test_governance_retention_yields_only_to_bypass(
    s3_client: Minio, archive_store: ObjectStore
) -> None:
    stored = archive_store.put(
        "g.pdf", PDF, content_type="application/pdf", retention=("GOVERNANCE", soon(3600))
    )
    assert stored.version_id is not None

    with pytest.raises(S3Error) as direct:
        s3_client.remove_object(archive_store.bucket, stored.key, version_id=stored.version_id)
    assert direct.value.code == "AccessDenied"
    with pytest.raises(ObjectLocked, match="GOVERNANCE"):
        archive_store.delete_version(stored.key, stored.version_id)
    archive_store.delete_version(stored.key, stored.version_id, bypass_governance=True)
    with pytest.raises(ObjectNotFound):
        archive_store.get(stored.key, stored.version_id)


def test_legal_hold_refuses_deletion_until_released(
    s3_client: Minio, archive_store: ObjectStore
) -> None:
    stored = archive_store.put("h.pdf", PDF, content_type="application/pdf", legal_hold=True)
    key, version = stored.key, stored.version_id
    assert version is not None and archive_store.get_legal_hold(key, version)
    assert archive_store.get_retention(key, version) is None

    with pytest.raises(S3Error):
        s3_client.remove_object(archive_store.bucket, key, version_id=version)
    with pytest.raises(ObjectLocked, match="legal hold"):
        archive_store.delete_version(key, version, bypass_governance=True)
    archive_store.set_legal_hold(key, False, version)
    assert not archive_store.get_legal_hold(key, version)
    archive_store.delete_version(key, version)
    with pytest.raises(ObjectNotFound):
        archive_store.stat(key, version)


def test_compliance_retention_ends_at_retain_until(archive_store: ObjectStore) -> None:
    until = soon(5)
    stored = archive_store.put(
        "expiring.pdf",
        PDF,
        content_type="application/pdf",
        retention=ObjectRetention("COMPLIANCE", until),
    )
    assert stored.version_id is not None
    with pytest.raises(ObjectLocked):
        archive_store.delete_version(stored.key, stored.version_id)

    time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 1)
    archive_store.delete_version(stored.key, stored.version_id)
    assert not archive_store.exists(stored.key)


def test_presigned_url_downloads_the_bytes_under_the_chinese_name(
    object_store: ObjectStore,
) -> None:
    stored = object_store.put("documents/1/x.pdf", PDF, content_type="application/pdf")
    name = "中村约询〔2025〕1号 询问笔录.pdf"
    url = object_store.presigned_get(stored.key, expires=timedelta(minutes=5), filename=name)

    with urllib.request.urlopen(url) as response:
        body, disposition = response.read(), response.headers["Content-Disposition"]
    assert body == PDF
    assert disposition == content_disposition(name)
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert urllib.parse.unquote(encoded) == name


def test_presigned_url_stops_working_once_tampered(object_store: ObjectStore) -> None:
    object_store.put("k", b"v", content_type="text/plain")
    url = object_store.presigned_get("k", expires=timedelta(minutes=5))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url.replace("/k?", "/k2?"))
    assert refused.value.code == 403
