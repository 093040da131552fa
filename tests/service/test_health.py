"""Liveness and readiness over HTTP: ``/health/ready`` answers 503 naming what is down."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.storage import ObjectStore
from service.runtime import Runtime


def _s3_gone(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents bucket's store at a port nothing listens on."""
    gone = ObjectStore("127.0.0.1:9", runtime.documents.bucket, access_key="k", secret_key="s")
    monkeypatch.setattr(runtime, "documents", gone)


def _database_gone(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """An engine on a SQLite file in a directory that does not exist."""
    monkeypatch.setattr(runtime, "engine", sa.create_engine(f"sqlite:///{tmp_path}/no/such.db"))


def _converter_gone(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool none of whose LibreOffice workers runs."""
    monkeypatch.setattr(runtime, "pool", SimpleNamespace(ready=False, heal=lambda: None))


def test_ready_is_200_when_the_database_the_store_and_the_converter_answer(
    client: TestClient,
) -> None:
    r = client.get("/health/ready")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "object_storage", "converter"}
    assert all(state.startswith("ok") for state in body["checks"].values())
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize("down", ["database", "object_storage", "converter"])
def test_ready_is_503_naming_the_one_that_is_down(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path, down: str
) -> None:
    if down == "database":
        _database_gone(runtime, monkeypatch, tmp_path)
    elif down == "object_storage":
        _s3_gone(runtime, monkeypatch)
    else:
        _converter_gone(runtime, monkeypatch)
    r = client.get("/health/ready")
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["error"] == "service_unavailable" and body["request_id"]
    assert body["detail"]["down"] == [down]
    assert body["detail"]["message"] == f"not ready: {down} down"
    assert body["detail"]["checks"][down].startswith("down")
    others = {name for name in body["detail"]["checks"] if name != down}
    assert all(body["detail"]["checks"][name].startswith("ok") for name in others)
    assert client.get("/health").status_code == 200  # liveness: the process still answers


def test_ready_names_everything_that_is_down(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    _database_gone(runtime, monkeypatch, tmp_path)
    _s3_gone(runtime, monkeypatch)
    _converter_gone(runtime, monkeypatch)
    r = client.get("/health/ready")
    assert r.status_code == 503
    assert r.json()["detail"]["down"] == ["database", "object_storage", "converter"]
    assert "127.0.0.1:9" not in r.text  # addresses stay in the log
