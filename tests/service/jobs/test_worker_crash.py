"""Real processes: ``anjuan serve`` without jobs and two ``anjuan worker`` processes on one
database (PostgreSQL, and the embedded default: SQLite and the embedded S3). A worker is
SIGKILLed in the middle of a PDF job and of an archiving job: each job completes once on the
other worker, with no duplicate dossier version and no lost item. Then every worker is
stopped, documents are issued, a worker is started: the backlog drains."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive.embedded_s3 import running_endpoint
from archive.storage import ObjectStore
from tests.service.flow import CLOSED_ON, PASSED, case_body, issue

pytestmark = pytest.mark.slow

START_TIMEOUT = 240.0
ANJUAN = str(Path(sys.executable).parent / "anjuan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """``anjuan serve`` (no jobs in it) and ``anjuan worker`` processes on one data dir."""

    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANJUAN_DATA_DIR": str(root / "var"),
            "ANJUAN_DATABASE_URL": database_url,
            "ANJUAN_PUBLIC_BASE_URL": self.url,
            "ANJUAN_JOBS_IN_SERVE": "false",
            "ANJUAN_PDF_WORKERS": "1",
            "ANJUAN_JOB_CONCURRENCY": "1",
            "ANJUAN_JOB_POLL_SECONDS": "0.2",
            "ANJUAN_JOB_HEARTBEAT_SECONDS": "1",
            "ANJUAN_JOB_STALLED_SECONDS": "4",
            "ANJUAN_ARCHIVE_WAIT_SECONDS": "0",
        }
        self.serve: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.first_output = ""

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        out = (self.root / log).open("ab")
        return subprocess.Popen(
            [ANJUAN, *args],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_serve(self) -> None:
        self.serve = self._spawn(["serve", "--port", str(self.port)], "serve.log")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.serve.poll() is None, self.log("serve")
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=5).status_code == 200:
                    self.first_output = self.log("serve")
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(self.log("serve"))

    def start_worker(self, name: str) -> None:
        self.workers[name] = self._spawn(["worker", "--name", name], f"{name}.log")
        deadline = time.monotonic() + START_TIMEOUT
        while "Starting worker" not in self.log(name):
            assert self.workers[name].poll() is None, self.log(name)
            assert time.monotonic() < deadline, self.log(name)
            time.sleep(0.2)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str) -> None:
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self, name: str) -> None:
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(120)

    def close(self) -> None:
        for name in list(self.workers):
            self.kill(name)
        if self.serve is not None and self.serve.poll() is None:
            os.killpg(self.serve.pid, signal.SIGTERM)
            try:
                self.serve.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.serve.pid, signal.SIGKILL)


@pytest.fixture
def cluster(tmp_path: Path, database_url: str) -> Iterator[Cluster]:
    c = Cluster(tmp_path, database_url)
    try:
        yield c
    finally:
        c.close()


def _admin(c: Cluster) -> dict[str, str]:
    match = re.search(r"password \(shown once, store it now\): (\S+)", c.first_output)
    assert match, c.first_output
    r = httpx.post(
        f"{c.url}/api/v1/auth/token", data={"username": "admin", "password": match.group(1)}
    )
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _key(c: Cluster, admin: dict[str, str], name: str, role: str) -> dict[str, str]:
    r = httpx.post(f"{c.url}/api/v1/keys", headers=admin, json={"name": name, "role": role})
    return {"X-API-Key": r.json()["key"]}


def _running_on(c: Cluster, job_id: int, names: list[str]) -> str | None:
    """The worker that started the job and has not ended it (from its log)."""
    for name in names:
        log = c.log(name)
        if re.search(rf"Starting job [\w.]+\[{job_id}\]", log) and not re.search(
            rf"Job [\w.]+\[{job_id}\]\(.*\) ended", log
        ):
            return name
    return None


def _wait(what: Callable[[], Any], timeout: float, message: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(message)


def _job(c: Cluster, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    return httpx.get(f"{c.url}/api/v1/jobs/{job_id}", headers=headers, timeout=30).json()


def test_a_killed_workers_jobs_complete_once_elsewhere_and_a_backlog_drains(
    cluster: Cluster,
) -> None:
    c = cluster
    c.start_serve()
    c.start_worker("w1")
    c.start_worker("w2")
    admin = _admin(c)
    clerk = _key(c, admin, "case-system", "system")
    archivist = _key(c, admin, "arch", "archivist")
    auditor = _key(c, admin, "audit", "auditor")

    http = httpx.Client(base_url=c.url, timeout=60)
    case = http.post("/api/v1/cases", headers=clerk, json=case_body("任务崩溃测试有限公司")).json()

    # 1. a PDF job: its worker is SIGKILLed mid-conversion; the other one makes it
    ids: dict[str, int] = {}
    docs = [issue(http, clerk, case["id"], code, ids) for code in PASSED]  # type: ignore[arg-type]
    jobs = {d["id"]: int(d["links"]["pdf_job"].rsplit("/", 1)[1]) for d in docs}
    victim_job, victim = _wait(
        lambda: next(
            ((j, w) for j in jobs.values() if (w := _running_on(c, j, list(c.workers)))), None
        ),
        120,
        "no PDF job started",
    )
    c.kill(victim)
    survivor = next(iter(c.workers))
    for doc_id, job_id in jobs.items():
        done = _wait(
            lambda job_id=job_id: (
                (j := _job(c, clerk, job_id))["status"] in ("succeeded", "failed") and j
            ),
            180,
            f"PDF job {job_id} did not finish\n{c.log(survivor)[-3000:]}",
        )
        assert done["status"] == "succeeded", done
        got = httpx.get(f"{c.url}/api/v1/documents/{doc_id}", headers=clerk).json()
        assert got["pdf_sha256"] == done["result"]["pdf_sha256"]
    assert _job(c, clerk, victim_job)["attempts"] == 2  # killed once, then done elsewhere
    assert re.search(rf"Starting job [\w.]+\[{victim_job}\]", c.log(survivor))
    audit = httpx.get(
        f"{c.url}/api/v1/audit", headers=auditor, params={"action": "document.pdf", "limit": 200}
    ).json()
    made = [e["target_id"] for e in audit["items"]]
    assert sorted(made) == sorted(str(d) for d in jobs)  # each PDF recorded exactly once

    # 2. an archiving job: its worker is SIGKILLed mid-build; the other one archives it once
    c.start_worker("w3")
    r = httpx.post(
        f"{c.url}/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    r = httpx.post(
        f"{c.url}/api/v1/cases/{case['id']}/archive",
        headers={**archivist, "Prefer": "respond-async"},
        timeout=60,
    )
    assert r.status_code == 202, r.text
    archive_job = r.json()["id"]
    victim = _wait(
        lambda: _running_on(c, archive_job, list(c.workers)), 120, "archiving did not start"
    )
    c.kill(victim)
    done = _wait(
        lambda: (j := _job(c, archivist, archive_job))["status"] in ("succeeded", "failed") and j,
        180,
        "archiving did not finish",
    )
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2
    archive_no = done["result"]["archive_no"]
    detail = httpx.get(f"{c.url}/api/v1/archives/{archive_no}", headers=archivist).json()
    assert detail["versions"] == 1 and len(detail["history"]) == 1
    store = ObjectStore(running_endpoint((c.root / "var" / "s3").resolve()), "anjuan-archive")
    versions = [v for v in store.list_versions("dossiers/") if not v.is_delete_marker]
    assert len(versions) == 1, versions  # no duplicate object version
    assert versions[0].version_id == detail["history"][0]["version_id"]

    # 3. every worker stopped: documents wait; a worker started: the backlog drains
    for name in list(c.workers):
        c.stop(name)
    more = http.post("/api/v1/cases", headers=clerk, json=case_body("积压测试有限公司")).json()
    more_ids: dict[str, int] = {}
    backlog = [
        issue(http, clerk, more["id"], code, more_ids)  # type: ignore[arg-type]
        for code in ["01", "02", "03", "04", "05"]
    ]
    time.sleep(1.0)
    for d in backlog:
        job = _job(c, clerk, int(d["links"]["pdf_job"].rsplit("/", 1)[1]))
        assert job["status"] == "queued", job
    c.start_worker("w4")
    for d in backlog:
        job_id = int(d["links"]["pdf_job"].rsplit("/", 1)[1])
        done = _wait(
            lambda job_id=job_id: (j := _job(c, clerk, job_id))["status"] == "succeeded" and j,
            180,
            f"backlog job {job_id} not done",
        )
        assert done["attempts"] == 1
