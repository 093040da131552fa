"""Benchmark: issue + PDF through the job engine with 1 and with 2 ``anjuan worker`` processes.

Real processes on loopback only: ``anjuan serve`` with no jobs in it (``ANJUAN_JOBS_IN_SERVE
=false``) and one, then two, ``anjuan worker`` processes (each ``--concurrency 2`` with its
own 2-process LibreOffice pool), on PostgreSQL when ``TEST_DATABASE_URL`` is set, else on the
embedded default (SQLite and the embedded S3). For each configuration: ``--docs`` documents
are issued by 4 client threads; every PDF job is awaited; reported are PDF throughput
(documents per second from the first issue to the last PDF), issue → PDF ready p50/p95, and
the service's request latency (``GET /api/v1/documents/{id}``) while the workers are busy
against the same with them idle. Checked: every document got its PDF, every job succeeded in
one attempt, exactly one ``document.pdf`` audit entry per document (nothing lost, nothing
made twice). Bounded: a fixed number of documents, a deadline, loopback only.

Run: ``.venv/bin/python bench/jobs.py [--docs 40]``; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from doc_templates.samples import sample_data  # noqa: E402

ANJUAN = str(Path(sys.executable).parent / "anjuan")
DEADLINE_S = 600.0
# the clue verification report: issued again and again in one case (a new 文号 each time),
# as the case flow allows; the interview's later documents would need their predecessors
CODES = ["01"]


def _p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, root: Path, database_url: str | None) -> None:
        self.root, self.port = root, _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ANJUAN_DATA_DIR": str(root / "var"),
            "ANJUAN_PUBLIC_BASE_URL": self.url,
            "ANJUAN_JOBS_IN_SERVE": "false",
            "ANJUAN_PDF_WORKERS": "2",
            "ANJUAN_JOB_CONCURRENCY": "2",
            "ANJUAN_JOB_POLL_SECONDS": "0.2",
        }
        if database_url:
            self.env["ANJUAN_DATABASE_URL"] = database_url
        self.procs: list[subprocess.Popen[bytes]] = []

    def spawn(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [ANJUAN, *args],
            env=self.env,
            stdout=(self.root / log).open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.root / name).read_text(errors="replace")

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def close(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)


def _wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    raise SystemExit(f"bench/jobs.py: {what} not within {timeout:.0f} s")


def _ts(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def run_config(
    c: Cluster, workers: int, docs: int, clerk: dict[str, str], auditor: dict[str, str]
) -> dict[str, Any]:
    """Start ``workers`` workers, issue ``docs`` documents, wait for every PDF, stop them."""
    procs = []
    for i in range(workers):
        name = f"w{workers}-{i}"
        procs.append(c.spawn(["worker", "--name", name], f"{name}.log"))
        _wait_for(lambda name=name: "Starting worker" in c.log(f"{name}.log"), 240, name)
    case = httpx.post(
        f"{c.url}/api/v1/cases",
        headers=clerk,
        json={
            "party": {"name": f"负载测试{workers}有限公司", "kind": "enterprise"},
            "cause": "负载",
            "clue_received_on": "2026-09-01",
        },
    ).json()
    probe_doc = httpx.post(
        f"{c.url}/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
        timeout=60,
    ).json()
    probe_url = f"{c.url}/api/v1/documents/{probe_doc['id']}"

    def probe(seconds: float) -> list[float]:
        out, end = [], time.monotonic() + seconds
        with httpx.Client(headers=clerk, timeout=30) as http:
            while time.monotonic() < end:
                t0 = time.perf_counter()
                assert http.get(probe_url).status_code == 200
                out.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.05)
        return out

    time.sleep(2.0)
    idle = probe(3.0)

    issued: list[dict[str, Any]] = []
    issue_ms: list[float] = []
    lock = threading.Lock()

    def issue(i: int) -> None:
        code = CODES[i % len(CODES)]
        with httpx.Client(headers=clerk, timeout=60) as http:
            t0 = time.perf_counter()
            r = http.post(
                f"{c.url}/api/v1/cases/{case['id']}/documents",
                json={"template": code, "data": sample_data(code)},
            )
            took = (time.perf_counter() - t0) * 1000
        assert r.status_code == 201, r.text
        with lock:
            issued.append(r.json())
            issue_ms.append(took)

    busy: list[float] = []
    prober = threading.Thread(target=lambda: busy.extend(probe(8.0)))
    t_start = time.time()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(issue, range(docs)))
        prober.start()
    jobs = {d["id"]: d["links"]["pdf_job"] for d in issued}

    def job(url: str) -> dict[str, Any]:
        return dict(httpx.get(f"{c.url}{url}", headers=clerk, timeout=30).json())

    done: dict[int, dict[str, Any]] = {}
    deadline = time.monotonic() + DEADLINE_S
    while len(done) < len(jobs) and time.monotonic() < deadline:
        for doc_id, url in jobs.items():
            if doc_id not in done:
                j = job(url)
                if j["status"] in ("succeeded", "failed"):
                    done[doc_id] = j
        time.sleep(0.2)
    prober.join()
    last = max(_ts(j["finished_at"]) for j in done.values()) if done else time.time()
    ready = [
        _ts(j["finished_at"]) - _ts(d["issued_at"])
        for d in issued
        if (j := done.get(d["id"])) and j["finished_at"]
    ]
    audit = httpx.get(
        f"{c.url}/api/v1/audit",
        headers=auditor,
        params={"action": "document.pdf", "limit": 500},
        timeout=60,
    ).json()
    recorded = [int(e["target_id"]) for e in audit["items"]]
    for proc in procs:
        c.stop(proc)
    return {
        "workers": workers,
        "docs": docs,
        "pdf_docs_per_s": round(docs / max(1e-9, last - t_start), 2),
        "issue_ms_p50": round(statistics.median(issue_ms), 1),
        "issue_ms_p95": round(_p(issue_ms, 95), 1),
        "ready_s_p50": round(statistics.median(ready), 2) if ready else None,
        "ready_s_p95": round(_p(ready, 95), 2) if ready else None,
        "request_ms_idle_p50": round(statistics.median(idle), 1),
        "request_ms_idle_p95": round(_p(idle, 95), 1),
        "request_ms_busy_p50": round(statistics.median(busy), 1) if busy else None,
        "request_ms_busy_p95": round(_p(busy, 95), 1) if busy else None,
        "lost": len(jobs) - sum(1 for j in done.values() if j["status"] == "succeeded"),
        "retried": sum(1 for j in done.values() if j["attempts"] != 1),
        "pdf_recorded_twice": len(recorded) - len(set(recorded)),
        "pdf_not_recorded": len(set(jobs) - set(recorded)),
    }


def main() -> None:
    """Run both configurations and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    database_url = os.environ.get("TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="anjuan-bench-jobs-") as tmp:
        c = Cluster(Path(tmp), None)
        schema = None
        if database_url:
            import sqlalchemy as sa

            schema = f"bench_jobs_{os.getpid()}"
            admin_engine = sa.create_engine(database_url)
            with admin_engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in database_url else "?"
            c.env["ANJUAN_DATABASE_URL"] = f"{database_url}{sep}options=-csearch_path%3D{schema}"
        try:
            serve = c.spawn(["serve", "--port", str(c.port)], "serve.log")

            def ready() -> bool:
                assert serve.poll() is None, c.log("serve.log")
                try:
                    return httpx.get(f"{c.url}/health/ready", timeout=5).status_code == 200
                except httpx.HTTPError:
                    return False

            _wait_for(ready, 240, "anjuan serve")
            match = re.search(r"password \(shown once, store it now\): (\S+)", c.log("serve.log"))
            assert match
            token = httpx.post(
                f"{c.url}/api/v1/auth/token",
                data={"username": "admin", "password": match.group(1)},
            ).json()["access_token"]
            admin = {"Authorization": f"Bearer {token}"}

            def key(name: str, role: str) -> dict[str, str]:
                r = httpx.post(
                    f"{c.url}/api/v1/keys", headers=admin, json={"name": name, "role": role}
                )
                return {"X-API-Key": r.json()["key"]}

            clerk, auditor = key("bench", "system"), key("bench-audit", "auditor")
            one = run_config(c, 1, args.docs, clerk, auditor)
            print(f"1 worker: {one}", flush=True)
            two = run_config(c, 2, args.docs, clerk, auditor)
            print(f"2 workers: {two}", flush=True)
        finally:
            c.close()
            if schema:
                with admin_engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    result = {
        "backend": "postgresql" if database_url else "sqlite",
        "docs": args.docs,
        "pdf_docs_per_s_1_worker": one["pdf_docs_per_s"],
        "pdf_docs_per_s_2_workers": two["pdf_docs_per_s"],
        "ready_s_p95_1_worker": one["ready_s_p95"],
        "ready_s_p95_2_workers": two["ready_s_p95"],
        "request_ms_idle_p95": one["request_ms_idle_p95"],
        "request_ms_busy_p95_1_worker": one["request_ms_busy_p95"],
        "request_ms_busy_p95_2_workers": two["request_ms_busy_p95"],
        "lost": one["lost"] + two["lost"],
        "pdf_recorded_twice": one["pdf_recorded_twice"] + two["pdf_recorded_twice"],
        "one_worker": one,
        "two_workers": two,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
