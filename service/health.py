"""Liveness (``/health``: the process answers) and readiness (``/health/ready``: the database,
the object store and the PDF converter all answer), for load balancers and orchestrators."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from sqlalchemy import text

from service.runtime import Runtime

log = logging.getLogger("anjuan.health")
CHECK_TIMEOUT = 5.0
_checks = ThreadPoolExecutor(3, thread_name_prefix="readiness")


def _database(runtime: Runtime) -> str:
    with runtime.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return "ok"


def _storage(runtime: Runtime) -> str:
    runtime.documents.ping()
    runtime.archive.ping()
    return "ok"


def _converter(runtime: Runtime) -> str:
    pool = runtime.pool
    if pool is None:
        return "ok (starts on first use)"
    if not pool.ready:
        raise RuntimeError("no LibreOffice worker is running")
    return "ok"


def readiness(runtime: Runtime) -> tuple[bool, dict[str, Any]]:
    """Every dependency's state; ``False`` when any is down."""
    futures = {
        name: _checks.submit(check, runtime)
        for name, check in (
            ("database", _database),
            ("object_storage", _storage),
            ("converter", _converter),
        )
    }
    out: dict[str, Any] = {}
    for name, future in futures.items():
        try:
            out[name] = future.result(timeout=CHECK_TIMEOUT)
        except FutureTimeout:
            out[name] = f"down: no answer within {CHECK_TIMEOUT:g} s"
        except Exception as exc:  # details (addresses, paths) go to the log, not the answer
            log.warning("readiness: %s is down: %s", name, exc)
            out[name] = f"down: {type(exc).__name__}"
    return all(v.startswith("ok") for v in out.values()), out
