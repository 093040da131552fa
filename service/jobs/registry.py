"""Declaring jobs and periodic jobs, and deferring them in the caller's transaction.

A job is a plain synchronous function of a ``JobContext`` and JSON keyword arguments,
registered by name with ``@job``; a periodic job also takes the ``timestamp`` of its period,
registered with ``@periodic``. ``defer(session, name, **kwargs)`` writes the job in the
session's transaction, so it exists exactly when the change that needs it is committed, and a
worker can only see it after that commit. Each attempt's error or result is kept in
``job_outcomes`` (procrastinate keeps status, attempts and events itself).
"""

from __future__ import annotations

import importlib
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from procrastinate.manager import JobManager
from procrastinate.sync_psycopg_connector import SyncPsycopgConnector
from procrastinate.tasks import configure_task
from sqlalchemy import event
from sqlalchemy.orm import Session

from archive.objects import StorageError
from service import clock
from service.db import transaction
from service.errors import DomainError, storage_error
from service.jobs import repository
from service.jobs.models import JobOutcome
from service.jobs.sqlite import SQLiteConnector

if TYPE_CHECKING:
    from service.config import Settings
    from service.runtime import Runtime

log = logging.getLogger("anjuan.jobs")
DEFAULT_QUEUE = "default"


class PermanentFailure(Exception):
    """Raised by a job whose input can never succeed: no retry, a terminal failure whose
    ``code`` and ``detail`` the API shows as the job's ``last_error``."""

    def __init__(self, detail: Any, code: str = "permanent_failure") -> None:
        self.detail, self.code = detail, code
        super().__init__(str(detail))


@dataclass(frozen=True)
class Retry:
    """How often a job is tried and how long it waits in between: ``first_wait`` seconds
    doubled after each failure (1, 2, 4 … by default), never more than ``max_wait``.

    A ``DomainError`` with a 4xx status (bad input, a state that forbids the change) and a
    ``PermanentFailure`` are never retried: trying again would fail the same way.
    """

    max_attempts: int = 5
    first_wait: float = 1.0
    max_wait: float = 300.0

    def wait(self, attempt: int) -> float:
        """Seconds to wait after the failed ``attempt`` (1-based)."""
        return float(min(self.max_wait, self.first_wait * 2 ** (attempt - 1)))


def is_permanent(exc: BaseException) -> bool:
    """True for failures that another attempt cannot cure."""
    if isinstance(exc, PermanentFailure):
        return True
    return isinstance(exc, DomainError) and exc.status_code < 500


class RetryStrategy(BaseRetryStrategy):
    """``Retry`` as procrastinate asks for it."""

    def __init__(self, retry: Retry) -> None:
        self.retry = retry

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        attempt = job.attempts + 1
        if is_permanent(exception) or attempt >= self.retry.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": round(self.retry.wait(attempt))})


@dataclass(frozen=True)
class JobContext:
    """What a running job gets: the runtime, and which attempt this is."""

    runtime: Runtime
    job_id: int
    task_name: str
    attempt: int  # 1-based
    max_attempts: int

    @property
    def last_attempt(self) -> bool:
        """True when a failure now is final (no retry follows)."""
        return self.attempt >= self.max_attempts


@dataclass(frozen=True)
class JobSpec:
    """A registered job."""

    name: str
    func: Callable[..., dict[str, Any] | None]
    retry: Retry
    queue: str = DEFAULT_QUEUE
    cron: str | Callable[[Settings], str] | None = None
    on_start: bool = False  # periodic: also run once when a worker starts

    def cron_for(self, settings: Settings) -> str | None:
        """The schedule, which may come from the settings."""
        return self.cron(settings) if callable(self.cron) else self.cron


REGISTRY: dict[str, JobSpec] = {}
# Modules whose import registers jobs; a domain that declares jobs adds its module here.
JOB_MODULES = [
    "service.documents.jobs",
    "service.batches.jobs",
    "service.archives.jobs",
    "service.templates.jobs",
    "service.webhooks.jobs",
    "service.process.jobs",
    "service.reviews.jobs",
]


def load_jobs() -> None:
    """Import every module that registers jobs."""
    for name in JOB_MODULES:
        importlib.import_module(name)


JobFunc = Callable[..., dict[str, Any] | None]


def job(
    name: str, *, retry: Retry | None = None, queue: str = DEFAULT_QUEUE
) -> Callable[[JobFunc], JobFunc]:
    """Register ``func(ctx: JobContext, **kwargs) -> dict | None`` as the job ``name``.

    The returned dict, if any, is kept as the job's ``result``. The function must be
    idempotent: a job is delivered at least once (a worker killed mid-job has it run again
    elsewhere).
    """

    def register(func: JobFunc) -> JobFunc:
        _add(JobSpec(name, func, retry or Retry(), queue))
        return func

    return register


def periodic(
    name: str,
    cron: str | Callable[[Settings], str],
    *,
    retry: Retry | None = None,
    queue: str = DEFAULT_QUEUE,
    on_start: bool = False,
) -> Callable[[JobFunc], JobFunc]:
    """Register ``func(ctx: JobContext, timestamp: int)`` to run once per ``cron`` period
    (five fields, or six with seconds last), whatever the number of processes running
    workers: each period's job is deferred once, by whichever worker gets there first.
    ``cron`` may be a function of the settings (a schedule the office configures).
    ``on_start``: a starting worker also defers one run at once (at most one such run waits
    at a time, however many workers start)."""

    def register(func: JobFunc) -> JobFunc:
        spec = JobSpec(name, func, retry or Retry(max_attempts=3), queue, cron, on_start)
        _add(spec)
        return func

    return register


def _add(spec: JobSpec) -> None:
    existing = REGISTRY.get(spec.name)
    if existing is not None and existing.func is not spec.func:
        raise ValueError(f"job {spec.name!r} is already registered")
    REGISTRY[spec.name] = spec


def spec_of(name: str | JobFunc) -> JobSpec:
    """The registered job with this name (or function)."""
    if not isinstance(name, str):
        found = [s for s in REGISTRY.values() if s.func is name]
        if not found:
            raise KeyError(f"{name!r} is not a registered job")
        return found[0]
    if name not in REGISTRY:
        load_jobs()
    return REGISTRY[name]


# --- deferring -------------------------------------------------------------------------------


def defer(
    session: Session,
    name: str | JobFunc,
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    delay: timedelta | None = None,
    priority: int = 0,
    **kwargs: Any,
) -> int:
    """Add a job in ``session``'s transaction and return its id.

    ``lock``: jobs sharing it never run at the same time (oldest first);
    ``queueing_lock``: at most one such job waits at a time (procrastinate raises
    ``AlreadyEnqueued`` otherwise); ``delay``: not before then.
    """
    return defer_many(
        session,
        name,
        [kwargs],
        lock=lock,
        queueing_lock=queueing_lock,
        delay=delay,
        priority=priority,
    )[0]


def defer_many(
    session: Session,
    name: str | JobFunc,
    arguments: list[dict[str, Any]],
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    delay: timedelta | None = None,
    priority: int = 0,
) -> list[int]:
    """Add one job per ``arguments`` entry in one statement, in ``session``'s transaction."""
    spec = spec_of(name)
    if not arguments:
        return []
    connection = session.connection()
    raw = connection.connection.driver_connection
    connector = SQLiteConnector() if connection.dialect.name == "sqlite" else SyncPsycopgConnector()
    deferrer = configure_task(
        name=spec.name,
        job_manager=JobManager(connector),
        lock=lock,
        queueing_lock=queueing_lock,
        queue=spec.queue,
        priority=priority,
        schedule_in={"seconds": int(delay.total_seconds())} if delay else None,
        connection=raw,
    )
    ids = deferrer.batch_defer(*arguments)
    if not session.info.get("anjuan_wake_workers"):
        session.info["anjuan_wake_workers"] = True
        event.listen(session, "after_commit", _after_commit, once=True)
    return ids


def _after_commit(session: Session) -> None:
    session.info.pop("anjuan_wake_workers", None)
    wake_local_workers()


_local_connectors: weakref.WeakSet[SQLiteConnector] = weakref.WeakSet()
_local_lock = threading.Lock()


def register_local(connector: SQLiteConnector) -> None:
    """A worker of this process polls through ``connector``: wake it after a defer."""
    with _local_lock:
        _local_connectors.add(connector)


def wake_local_workers() -> None:
    """New jobs were committed: wake this process's SQLite workers at once (PostgreSQL
    workers hear of them through LISTEN/NOTIFY; others poll)."""
    with _local_lock:
        connectors = list(_local_connectors)
    for c in connectors:
        c.wake()


def defer_start_jobs(runtime: Runtime) -> list[int]:
    """Defer one run of each periodic job declared ``on_start`` (a worker is starting); a run
    already waiting is not doubled."""
    load_jobs()
    ids = []
    for spec in REGISTRY.values():
        if not spec.on_start:
            continue
        try:
            with transaction(runtime.sessions) as session:
                ids.append(
                    defer(
                        session,
                        spec.name,
                        queueing_lock=f"start:{spec.name}",
                        timestamp=int(clock.now().timestamp()),
                    )
                )
        except AlreadyEnqueued:
            pass
    return ids


# --- running ---------------------------------------------------------------------------------


def describe(exc: BaseException, job_id: int | None = None) -> dict[str, Any]:
    """An attempt's error as the API shows it: the error contract's code and detail. An
    unexpected error is named by its type only (its message, which may hold SQL, paths or
    addresses, goes to the worker's log, like a 500's)."""
    if isinstance(exc, DomainError | PermanentFailure):
        return {"error": exc.code, "detail": exc.detail}
    if isinstance(exc, StorageError):
        unavailable = storage_error(exc)
        return {"error": unavailable.code, "detail": unavailable.detail}
    where = f" (job {job_id})" if job_id is not None else ""
    return {
        "error": "internal_error",
        "detail": f"{type(exc).__name__}; see the worker's log{where}",
    }


def run_attempt(spec: JobSpec, runtime: Runtime, job: Job, kwargs: dict[str, Any]) -> None:
    """Run one attempt of ``job`` and keep its outcome; a failure is re-raised so that
    procrastinate retries it (or records the terminal failure)."""
    assert job.id is not None
    ctx = JobContext(runtime, job.id, spec.name, job.attempts + 1, spec.retry.max_attempts)
    try:
        result = spec.func(ctx, **kwargs)
    except BaseException as exc:
        final = is_permanent(exc) or ctx.last_attempt
        log.log(
            logging.ERROR if final else logging.WARNING,
            "job %s[%s] attempt %d %s: %s",
            spec.name,
            job.id,
            ctx.attempt,
            "failed for good" if final else "failed",
            exc,
            exc_info=not isinstance(exc, DomainError | StorageError | PermanentFailure),
        )
        _keep(runtime, job.id, spec.name, ctx.attempt, error=describe(exc, job.id))
        raise
    _keep(runtime, job.id, spec.name, ctx.attempt, result=result)


def _keep(
    runtime: Runtime,
    job_id: int,
    task_name: str,
    attempt: int,
    *,
    error: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    with transaction(runtime.sessions) as session:
        row = repository.outcome_for_update(session, job_id)
        if row is None:
            row = JobOutcome(job_id=job_id, task_name=task_name)
            session.add(row)
        row.attempts, row.updated_at = attempt, clock.now()
        if error is not None:
            row.last_error = error
        else:
            row.result = result
