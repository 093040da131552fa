"""Nothing lost, nothing half-done: storage or LibreOffice failing mid-archive.

Archiving is a job: a failure is retried with back-off, so the request (which waits a few
seconds here) answers 202 with the job retrying and its last error; once the cause is gone
the same job's next attempt archives the case."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive.embedded_s3 import EmbeddedS3
from doc_templates.converter import ConversionFailed
from service.app import create_app
from service.archives.models import Archive
from service.auth.models import Role
from service.auth.service import create_user
from service.config import Settings
from service.db import transaction
from service.runtime import Runtime
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

PASSWORD = "correct horse battery staple"


def _login(c: TestClient, rt: Runtime, role: Role) -> dict[str, str]:
    with transaction(rt.sessions) as s:
        create_user(s, role.value, role, PASSWORD)
    token = c.post(
        "/api/v1/auth/token", data={"username": role.value, "password": PASSWORD}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _closed_case(c: TestClient, clerk: dict[str, str]) -> dict[str, Any]:
    case = c.post(
        "/api/v1/cases", headers=clerk, json=case_body("故障测试有限公司", cause="故障注入")
    ).json()
    ids = run_flow(c, clerk, case["id"], PASSED)
    for doc_id in ids.values():
        if doc_id != ids.get("report"):
            assert c.get(f"/api/v1/documents/{doc_id}/pdf", headers=clerk).status_code == 200
    r = c.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    return case


def _finished(c: TestClient, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = c.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return dict(job)
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


def _failed_once(c: TestClient, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job = c.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["last_error"] is not None:
            return dict(job)
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not fail an attempt")


def _archives(rt: Runtime) -> int:
    with rt.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Archive)) or 0)


@pytest.fixture
def private_s3(tmp_path: Path) -> Iterator[EmbeddedS3]:
    """An S3 server of this test's own, so that it can be stopped mid-archive."""
    server = EmbeddedS3(tmp_path / "s3")
    server.start()
    yield server
    server.stop()


def test_storage_stopping_mid_archive_leaves_the_case_closed_and_a_retry_succeeds(
    settings: Settings, private_s3: EmbeddedS3, converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = Runtime.start(
        settings.model_copy(
            update={
                "s3_bucket_archive": f"a-{uuid.uuid4().hex[:8]}",
                "jobs_in_serve": True,
                "archive_wait_seconds": 3.0,
            }
        ),
        endpoint=private_s3.endpoint,
        converter=converter,
    )
    try:
        with TestClient(create_app(runtime=rt)) as c:
            clerk, archivist = _login(c, rt, Role.clerk), _login(c, rt, Role.archivist)
            case = _closed_case(c, clerk)
            real_put = rt.archive.put

            def stop_then_put(*args: Any, **kwargs: Any) -> Any:
                private_s3.stop()  # the server goes away after the PDFs were made and read
                return real_put(*args, **kwargs)

            monkeypatch.setattr(rt.archive, "put", stop_then_put)
            r = c.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
            assert r.status_code == 202, r.text
            job = _failed_once(c, archivist, r.json()["id"])
            assert job["status"] in ("retrying", "running"), job
            assert job["last_error"]["error"] == "service_unavailable"
            after = c.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()
            assert after["status"] == "closed"
            assert after["archive_error"] and "storage" in after["archive_error"]
            assert _archives(rt) == 0

            monkeypatch.undo()
            private_s3.start()
            done = _finished(c, archivist, job["id"])
            assert done["status"] == "succeeded", done
            assert done["result"]["archive_no"].endswith("-0001")  # the failed try used no 件号
            done = c.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()
            assert done["status"] == "archived" and done["archive_error"] is None
    finally:
        rt.close()


class _BrokenConverter:
    def convert(self, docx: bytes, *, timeout: float | None = None) -> bytes:
        raise ConversionFailed("soffice crashed twice")


def test_libreoffice_failing_leaves_the_case_closed_and_a_retry_succeeds(
    client: TestClient, clerk, runtime: Runtime, user_headers
) -> None:
    archivist = user_headers(Role.archivist)
    case = client.post(
        "/api/v1/cases", headers=clerk, json=case_body("转换失败有限公司", cause="故障注入")
    ).json()
    real = runtime.pool
    # broken from the start: the PDF jobs at issue fail too, so archiving must convert
    runtime.pool = _BrokenConverter()  # type: ignore[assignment]
    runtime.settings = runtime.settings.model_copy(update={"archive_wait_seconds": 3.0})
    try:
        run_flow(client, clerk, case["id"], PASSED)
        closed = client.post(
            f"/api/v1/cases/{case['id']}/close",
            headers=clerk,
            json={"outcome": "passed", "closed_on": CLOSED_ON},
        )
        assert closed.status_code == 200, closed.text
        r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
        assert r.status_code == 202, r.text
        job = _failed_once(client, archivist, r.json()["id"])
        assert job["last_error"]["error"] == "pdf_conversion_failed"
        after = client.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()
        assert after["status"] == "closed" and "pdf_conversion_failed" in after["archive_error"]
        assert _archives(runtime) == 0
    finally:
        runtime.pool = real
    done = _finished(client, archivist, r.json()["id"])
    assert done["status"] == "succeeded", done
    assert client.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()["status"] == "archived"
