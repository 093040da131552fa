"""Running jobs: a procrastinate worker with every registered job, in the foreground
(``anjuan worker``) or on a thread of ``anjuan serve`` (the embedded default)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector
from procrastinate.connector import BaseConnector
from sqlalchemy.engine import make_url

from service.db import transaction
from service.jobs import repository
from service.jobs.registry import (
    REGISTRY,
    JobSpec,
    RetryStrategy,
    defer_start_jobs,
    load_jobs,
    register_local,
    run_attempt,
)
from service.jobs.sqlite import SQLiteConnector
from service.runtime import Runtime

log = logging.getLogger("anjuan.jobs")

RECOVER_CRON = "* * * * * */5"  # every 5 s (croniter: seconds last)
PRUNE_CRON = "17 3 * * *"
KEEP_SUCCEEDED_DAYS = 30


def libpq_url(sqlalchemy_url: str) -> str:
    """The libpq form of an SQLAlchemy PostgreSQL URL (options such as search_path kept)."""
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def make_connector(runtime: Runtime, pool_size: int) -> BaseConnector:
    """The connector a worker of this runtime uses: procrastinate's psycopg connector on
    PostgreSQL, ours on SQLite."""
    url = runtime.settings.resolved_database_url
    if runtime.engine.dialect.name == "sqlite":
        return SQLiteConnector(runtime.engine)
    return PsycopgConnector(conninfo=libpq_url(url), min_size=1, max_size=pool_size)


def build_app(runtime: Runtime, connector: BaseConnector) -> App:
    """A procrastinate app with every registered job (and the stalled-job recovery)."""
    load_jobs()
    app = App(connector=connector)
    for spec in REGISTRY.values():
        _add_task(app, spec, runtime)
    stalled_after = runtime.settings.job_stalled_seconds

    @app.periodic(cron=RECOVER_CRON, periodic_id="recover")
    @app.task(name="jobs.recover_stalled", pass_context=True)
    async def recover_stalled(context: JobContext, timestamp: int) -> None:
        """Put the jobs of workers that stopped beating back in the queue (at-least-once:
        a SIGKILLed worker's job runs again on another worker)."""
        manager = context.app.job_manager
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
            if job.id == context.job.id:
                continue
            log.warning("job %s[%s] stalled (its worker is gone); retrying", job.task_name, job.id)
            await manager.retry_job(job)

    @app.periodic(cron=PRUNE_CRON, periodic_id="prune")
    @app.task(name="jobs.prune", pass_context=True)
    async def prune(context: JobContext, timestamp: int) -> None:
        """Forget jobs that succeeded more than ``KEEP_SUCCEEDED_DAYS`` ago (failed ones stay)
        and the outcomes of jobs no longer kept."""
        await context.app.job_manager.delete_old_jobs(nb_hours=KEEP_SUCCEEDED_DAYS * 24)
        await asyncio.to_thread(_forget_outcomes, runtime)

    return app


def _forget_outcomes(runtime: Runtime) -> None:
    with transaction(runtime.sessions) as session:
        repository.delete_orphan_outcomes(session)


def _add_task(app: App, spec: JobSpec, runtime: Runtime) -> None:
    def run(context: JobContext, **kwargs: Any) -> None:
        run_attempt(spec, runtime, context.job, kwargs)

    run.__name__ = spec.name.replace(".", "_")
    task = app.task(
        name=spec.name, pass_context=True, queue=spec.queue, retry=RetryStrategy(spec.retry)
    )(run)
    cron = spec.cron_for(runtime.settings)
    if cron is not None:
        app.periodic(cron=cron, periodic_id=spec.name)(task)  # type: ignore[arg-type]


def worker_options(runtime: Runtime, *, name: str, signals: bool) -> dict[str, Any]:
    """Worker settings from the service settings."""
    s = runtime.settings
    sqlite = runtime.engine.dialect.name == "sqlite"
    return {
        "name": name,
        "concurrency": s.job_concurrency,
        "fetch_job_polling_interval": s.job_poll_seconds if sqlite else 5.0,
        "update_heartbeat_interval": s.job_heartbeat_seconds,
        "stalled_worker_timeout": s.job_stalled_seconds,
        "install_signal_handlers": signals,
        "shutdown_graceful_timeout": s.job_shutdown_seconds,
        "listen_notify": True,
    }


async def _serve(app: App, runtime: Runtime, options: dict[str, Any]) -> None:
    async with app.open_async():
        if isinstance(app.connector, SQLiteConnector):
            register_local(app.connector)
        try:
            await asyncio.to_thread(defer_start_jobs, runtime)
        except Exception:  # the periodic runs still come; a start run is a nicety
            log.exception("deferring the start-up jobs failed")
        await app.run_worker_async(**options)


def run_foreground(runtime: Runtime, name: str = "worker") -> None:
    """Run a worker until SIGINT/SIGTERM (``anjuan worker``)."""
    app = build_app(runtime, make_connector(runtime, runtime.settings.job_concurrency + 3))
    asyncio.run(_serve(app, runtime, worker_options(runtime, name=name, signals=True)))


class BackgroundWorker:
    """A worker on its own thread and event loop, inside ``anjuan serve``."""

    def __init__(self, runtime: Runtime, name: str = "serve") -> None:
        self.runtime = runtime
        self.app = build_app(runtime, make_connector(runtime, runtime.settings.job_concurrency + 3))
        self.options = worker_options(runtime, name=name, signals=False)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)

    def start(self) -> None:
        """Start working in the background."""
        self._thread.start()
        self._started.wait(30)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._task = loop.create_task(_serve(self.app, self.runtime, self.options))
            self._started.set()
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("the job worker stopped on an error")
        finally:
            self._started.set()
            loop.close()

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the jobs in hand (up to the shutdown timeout) and stop."""
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        self._thread.join(timeout)
