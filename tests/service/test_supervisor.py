"""The supervisor brings back what died: the embedded SeaweedFS and idle LibreOffice workers."""

from __future__ import annotations

import os
import signal
import time
import uuid

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
