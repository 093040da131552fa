"""The supervisor brings back what died: the embedded SeaweedFS and idle LibreOffice workers."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from doc_templates.converter import ConverterPool
from doc_templates.fonts import fontconfig_env
from service.config import Settings
from service.health import readiness
from service.runtime import Runtime
from service.supervisor import Supervisor

pytestmark = pytest.mark.slow


def test_a_dead_embedded_s3_is_restarted_and_the_store_works_again(settings: Settings) -> None:
    own = settings.model_copy(
        update={"s3_bucket_documents": f"d-{uuid.uuid4().hex[:8]}", "pdf_warm_at_start": False}
    )
    runtime = Runtime.start(own)  # no endpoint given: it runs its own SeaweedFS
    try:
        assert runtime.embedded is not None and runtime.embedded.pid is not None
        runtime.documents.put("k.txt", b"before", content_type="text/plain")
        os.kill(runtime.embedded.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while runtime.embedded.running and time.monotonic() < deadline:
            time.sleep(0.05)
        ok, checks = readiness(runtime)
        assert not ok and checks["object_storage"].startswith("down")
        supervisor = Supervisor(runtime)
        supervisor.check()
        assert supervisor.restarts == 1 and runtime.embedded.running
        assert runtime.documents.get("k.txt") == b"before"
        assert readiness(runtime)[0]
    finally:
        runtime.close()


def test_an_idle_worker_found_dead_is_restarted_before_a_job_meets_it(tmp_path) -> None:
    with ConverterPool(1, timeout=30, work_dir=tmp_path, env=fontconfig_env()) as pool:
        [worker] = pool.stats().workers
        assert worker.pgid is not None
        os.killpg(worker.pgid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while pool.ready and time.monotonic() < deadline:
            pool.heal()
            time.sleep(0.05)
        deadline = time.monotonic() + 60
        while not pool.ready and time.monotonic() < deadline:
            time.sleep(0.2)
        stats = pool.stats()
        assert pool.ready and stats.restarts == 1 and stats.jobs_done == 0
        assert stats.workers[0].pgid not in (None, worker.pgid)


class FakeClock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ShortLivedServer:
    """Stands in for the embedded SeaweedFS: each start runs a real process, which exits at
    once unless told to stay up, or fails outright while ``failing``."""

    log_path = Path("/dev/null")

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.starts: list[float] = []
        self.stay_up = False
        self.failing = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> SimpleNamespace:
        self.starts.append(self.clock.now)
        if self.failing:
            self.failing -= 1
            raise RuntimeError("weed exited during start-up")
        code = "import time; time.sleep(600)" if self.stay_up else "pass"
        self.proc = subprocess.Popen([sys.executable, "-c", code])
        return SimpleNamespace(endpoint="127.0.0.1:1")

    def die(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()


def _supervise(until: float, clock: FakeClock, server: ShortLivedServer, sup: Supervisor) -> None:
    """The supervisor's loop on the fake clock, a check a second, each process seen exit."""
    while clock.now < until:
        clock.now += 1.0
        if server.proc is not None and not server.stay_up:
            server.proc.wait()
        sup.check()


def _gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def test_a_server_that_keeps_dying_is_restarted_with_growing_delays_reset_once_it_stays_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    server = ShortLivedServer(clock)
    runtime = SimpleNamespace(embedded=server, pool=None, reconnect=lambda endpoint: None)
    sup = Supervisor(runtime, clock=clock)  # type: ignore[arg-type]
    server.start()  # as the runtime started it
    server.starts.clear()
    try:
        _supervise(clock.now + 250, clock, server, sup)
        # each death is seen at the next check, a second after its start; then the back-off
        assert _gaps(server.starts) == [1.0 + d for d in (1, 2, 4, 8, 16, 32, 60, 60)]
        assert server.starts[0] == 1001.0  # its first death: restarted at once
        assert "next try in 32 s" in caplog.text and "next try in 60 s" in caplog.text

        server.stay_up = True  # the next restart comes up and stays up 30 s
        _supervise(clock.now + 61, clock, server, sup)
        assert server.running
        up_at = server.starts[-1]
        clock.now = up_at + 30
        server.die()
        server.stay_up = False
        server.starts.clear()
        _supervise(clock.now + 12, clock, server, sup)
        assert server.starts[0] == up_at + 31  # restarted at once, as a first death
        assert _gaps(server.starts) == [2.0, 3.0, 5.0]  # the back-off started afresh
    finally:
        if server.proc is not None and server.running:
            server.die()


def test_failed_restarts_wait_longer_each_time(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    server = ShortLivedServer(clock)
    runtime = SimpleNamespace(embedded=server, pool=None, reconnect=lambda endpoint: None)
    sup = Supervisor(runtime, clock=clock)  # type: ignore[arg-type]
    server.failing = 4
    _supervise(clock.now + 20, clock, server, sup)
    assert _gaps(server.starts[:5]) == [1.0, 2.0, 4.0, 8.0]
    assert sup.restarts >= 1 and "could not be restarted (weed exited during start-up)" in (
        caplog.text
    )
