"""案号 and 文号 stay unique and gap-free with many concurrent clients over real HTTP."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn

from archive.objects import StorageUnavailable
from doc_templates.samples import sample_data
from service.app import create_app
from service.db import transaction
from service.documents import service as documents_service
from service.runtime import Runtime
from service.templates.service import seed_builtins

CLIENTS = 32
DOCS_PER_CLIENT = 3
CASE = {
    "party": {"name": "并发测试有限公司", "kind": "enterprise"},
    "cause": "并发编号测试",
    "clue_received_on": "2026-09-01",
}


@pytest.fixture
def live_url(runtime: Runtime) -> Iterator[str]:
    """The app served by uvicorn on a free port, so requests really run concurrently."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime=runtime),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _seq(number: str) -> int:
    m = re.search(r"〕(\d+)号$", number)
    assert m, number
    return int(m.group(1))


class _Faults:
    """Fail every third store and every render of a marked document: both after the 文号
    was allocated, so that only a rollback keeps the sequence gap-free."""

    def __init__(self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lock = threading.Lock()
        self.puts = 0
        self.failed_puts = 0
        real_put = runtime.documents.put
        real_render = documents_service.render_docx

        def flaky_put(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.puts += 1
                fail = self.puts % 3 == 0
                self.failed_puts += fail
            if fail:
                raise StorageUnavailable("injected: the store went away")
            return real_put(*args, **kwargs)

        def failing_render(template: Any, ctx: Any, data: Any, revision: Any = None) -> bytes:
            if getattr(data, "reason", "") == RENDER_FAILS:
                raise RuntimeError("injected: the template broke")
            return real_render(template, ctx, data, revision)

        monkeypatch.setattr(runtime.documents, "put", flaky_put)
        monkeypatch.setattr(documents_service, "render_docx", failing_render)


RENDER_FAILS = "渲染故障会议室"


def test_numbers_are_unique_and_gap_free_under_32_concurrent_clients(
    live_url: str, key_headers, database_url: str, runtime: Runtime, monkeypatch
) -> None:
    from service.auth.models import Role

    headers = key_headers(Role.system)
    good, bad = sample_data("01"), {"nonsense": True}
    broken = dict(sample_data("01"), reason=RENDER_FAILS)
    with transaction(runtime.sessions) as s:  # as the service does at start, before the faults
        seed_builtins(s, runtime.settings, runtime.documents)
    faults = _Faults(runtime, monkeypatch)
    barrier = threading.Barrier(CLIENTS)

    def client_run(i: int) -> tuple[str, list[str], int]:
        with httpx.Client(base_url=live_url, headers=headers, timeout=120) as c:
            barrier.wait()
            case = c.post("/api/v1/cases", json=CASE)
            assert case.status_code == 201, case.text
            case_id = case.json()["id"]
            doc_nos, failures = [], 0
            for j in range(DOCS_PER_CLIENT):
                # every third client also sends a bad request between good ones
                if i % 3 == 0 and j == 1:
                    r = c.post(
                        f"/api/v1/cases/{case_id}/documents", json={"template": "01", "data": bad}
                    )
                    assert r.status_code == 422
                    failures += 1
                # and every fourth one a document whose rendering breaks after numbering
                if i % 4 == 1 and j == 0:
                    r = c.post(
                        f"/api/v1/cases/{case_id}/documents",
                        json={"template": "01", "data": broken},
                    )
                    assert r.status_code == 500 and r.json()["error"] == "render_failed"
                    failures += 1
                while True:  # a store failure (503) is retried, as a client would
                    r = c.post(
                        f"/api/v1/cases/{case_id}/documents", json={"template": "01", "data": good}
                    )
                    if r.status_code != 503:
                        break
                    failures += 1
                assert r.status_code == 201, r.text
                doc_nos.append(r.json()["doc_no"])
            return case.json()["case_no"], doc_nos, failures

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(client_run, range(CLIENTS)))

    case_seqs = sorted(_seq(case_no) for case_no, _, _ in results)
    doc_seqs = sorted(_seq(n) for _, nos, _ in results for n in nos)
    assert case_seqs == list(range(1, CLIENTS + 1))
    assert doc_seqs == list(range(1, CLIENTS * DOCS_PER_CLIENT + 1))
    assert faults.failed_puts > 0 and sum(f for _, _, f in results) > faults.failed_puts
