"""A 2xx means saved: the real service (``anjuan serve``, its embedded S3 and LibreOffice) is
SIGKILLed right after each acknowledged write and started again on the same data dir; every
acknowledged write is there, no 文号 is reused and every QR code verifies. It also starts
every time on the data dir of a killed instance."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from doc_templates.samples import sample_data
from tests.service.flow import CLOSED_ON, ISSUED_ON, case_body, flow_data

pytestmark = pytest.mark.slow

REQUIRED = ["01", "02", "03", "04", "05", "07", "08", "09"]
START_TIMEOUT = 240.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """``anjuan serve`` in its own session, killed the hard way."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANJUAN_DATA_DIR": str(data_dir),
            "ANJUAN_DATABASE_URL": database_url,
            "ANJUAN_PDF_WARM_AT_START": "false",
            "ANJUAN_PUBLIC_BASE_URL": self.url,
            "ANJUAN_JOB_STALLED_SECONDS": "5",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.first_output = ""

    def start(self) -> None:
        log = (self.data_dir.parent / f"serve-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "anjuan"), "serve", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_tail()
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise AssertionError(f"start {self.starts} not ready in time\n{self.log_tail()}")
        if self.starts == 0:
            self.first_output = self.log_tail(0)
        self.starts += 1

    def log_tail(self, n: int = 3000) -> str:
        text = (self.data_dir.parent / f"serve-{self.starts}.log").read_text(errors="replace")
        return text[-n:] if n else text

    def kill(self) -> None:
        """SIGKILL the service's process group and its object store, at once."""
        assert self.proc is not None
        weed = self.data_dir / "s3" / "weed.pid"
        weed_pid = int(weed.read_text()) if weed.exists() else None
        os.killpg(self.proc.pid, signal.SIGKILL)
        if weed_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(weed_pid, signal.SIGKILL)
        self.proc.wait()


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[Service]:
    svc = Service(tmp_path / "var", database_url)
    try:
        yield svc
    finally:
        if svc.proc is not None and svc.proc.poll() is None:
            svc.kill()


def _seq(number: str) -> int:
    match = re.search(r"〕(\d+)号$", number)
    assert match, number
    return int(match.group(1))


def _admin_headers(svc: Service) -> dict[str, str]:
    match = re.search(r"password \(shown once, store it now\): (\S+)", svc.first_output)
    assert match, svc.first_output
    r = httpx.post(
        f"{svc.url}/api/v1/auth/token", data={"username": "admin", "password": match.group(1)}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_killed_service_starts_again_every_time(service: Service) -> None:
    for _ in range(5):
        service.start()
        service.kill()
    service.start()
    assert httpx.get(f"{service.url}/health/ready").json()["status"] == "ready"


def test_every_acknowledged_write_survives_a_sigkill(service: Service) -> None:
    service.start()
    admin = _admin_headers(service)
    key = httpx.post(
        f"{service.url}/api/v1/keys", headers=admin, json={"name": "case-system", "role": "system"}
    ).json()["key"]
    clerk = {"X-API-Key": key}
    archivist = {
        "X-API-Key": httpx.post(
            f"{service.url}/api/v1/keys", headers=admin, json={"name": "arch", "role": "archivist"}
        ).json()["key"]
    }

    acknowledged: list[dict[str, Any]] = []

    def write(method: str, path: str, headers: dict[str, str], **kw: Any) -> dict[str, Any]:
        r = httpx.request(method, f"{service.url}{path}", headers=headers, timeout=120, **kw)
        assert r.status_code in (200, 201), r.text
        body: dict[str, Any] = r.json()
        service.kill()  # the moment the answer is in
        service.start()
        return body

    case = write("POST", "/api/v1/cases", clerk, json=case_body("断电测试有限公司"))
    ids: dict[str, int] = {}
    for code in REQUIRED:
        body: dict[str, Any] = {"template": code, "data": flow_data(code, ids)}
        if code in ISSUED_ON:
            body["issued_on"] = ISSUED_ON[code]
        doc = write("POST", f"/api/v1/cases/{case['id']}/documents", clerk, json=body)
        ids[code] = doc["id"]
        acknowledged.append(doc)
    closed = write(
        "POST",
        f"/api/v1/cases/{case['id']}/close",
        clerk,
        json={"outcome": "other", "closed_on": CLOSED_ON},
    )
    archive = write("POST", f"/api/v1/cases/{case['id']}/archive", archivist)

    base = service.url
    got = httpx.get(f"{base}/api/v1/cases/{case['id']}", headers=clerk, timeout=60).json()
    assert got["case_no"] == case["case_no"] and got["status"] == "archived"
    assert closed["status"] == "closed"
    docs = httpx.get(
        f"{base}/api/v1/cases/{case['id']}/documents", headers=clerk, timeout=60
    ).json()
    assert [(d["id"], d["doc_no"]) for d in docs] == [(d["id"], d["doc_no"]) for d in acknowledged]
    assert len({d["doc_no"] for d in docs}) == len(docs)
    for d in acknowledged:
        token = d["verify_url"].rsplit("/", 1)[1]
        v = httpx.get(f"{base}/api/v1/verify/{token}", timeout=60)
        assert v.status_code == 200 and v.json()["status"] == "archived", (d["doc_no"], v.text)
        assert v.json()["sha256"] == d["sha256"]
    stored = httpx.get(
        f"{base}/api/v1/archives/{archive['archive_no']}", headers=archivist, timeout=60
    )
    assert stored.status_code == 200 and stored.json()["sha256"] == archive["sha256"]

    # the next number continues the sequence: nothing was handed out twice
    more = httpx.post(
        f"{base}/api/v1/cases", headers=clerk, json=case_body("后续有限公司"), timeout=60
    ).json()
    nxt = httpx.post(
        f"{base}/api/v1/cases/{more['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
        timeout=60,
    ).json()
    first_01 = next(d for d in acknowledged if d["template"] == "01")
    assert _seq(first_01["doc_no"]) == 1 and _seq(nxt["doc_no"]) == 2
