"""Procrastinate's storage on SQLite, for the embedded default.

Procrastinate talks to its database through a *connector* that runs named queries
(``procrastinate/sql/queries.sql``); on PostgreSQL most of them call PL/pgSQL functions of its
schema. This connector answers the same queries on the SQLite tables of migration 0010, with
the semantics of those functions (``procrastinate/sql/schema.sql``, version pinned in
``pyproject.toml``): a job is fetched by one ``UPDATE … RETURNING`` under SQLite's single
writer lock (what ``FOR UPDATE SKIP LOCKED`` achieves on PostgreSQL), the same lock rules, the
same partial unique indexes for ``lock`` and ``queueing_lock``, periodic defers unique per
task and timestamp, worker heartbeats, and the job events written by triggers. Everything
else — the worker loop, retries and back-off, periodic deferral, stalled-job detection — is
procrastinate's own code. Notifications do not cross processes on SQLite: workers poll
(``fetch_job_polling_interval``), and a job deferred in the worker's own process wakes it.

``tests/service/jobs/test_sqlite_connector.py`` checks every query procrastinate has is
answered, and runs the same behaviours on both backends.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from procrastinate import connector, exceptions, manager, sql
from procrastinate.types import JobToDefer
from sqlalchemy import Engine

Row = dict[str, Any]
JOB_COLUMNS = (
    "id, queue_name, task_name, priority, lock, queueing_lock, args, status, scheduled_at, "
    "attempts, abort_requested, worker_id"
)
FINAL = ("succeeded", "failed", "aborted")


def _ts(value: datetime) -> str:
    """A UTC timestamp as text that sorts in time order (how the tables store time)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _now(offset_seconds: float = 0.0) -> str:
    return _ts(datetime.now(UTC) + timedelta(seconds=offset_seconds))


def _dt(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)


def _job_row(cur: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    row = {d[0]: v for d, v in zip(cur.description, values, strict=True)}
    if "args" in row:
        row["args"] = json.loads(row["args"])
    if "scheduled_at" in row:
        row["scheduled_at"] = _dt(row["scheduled_at"])
    if "abort_requested" in row:
        row["abort_requested"] = bool(row["abort_requested"])
    if "started_at" in row:
        row["started_at"] = _dt(row["started_at"])
    return row


def _rows(cur: sqlite3.Cursor) -> list[Row]:
    return [_job_row(cur, r) for r in cur.fetchall()]


class _Queries:
    """One method per procrastinate query name, each given a DB-API connection inside a
    transaction (``BEGIN IMMEDIATE``: SQLite's write lock) and the query's arguments."""

    @staticmethod
    def defer_jobs(c: sqlite3.Connection, jobs: list[JobToDefer]) -> list[Row]:
        out = []
        for job in jobs:
            try:
                cur = c.execute(
                    "INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, "
                    "queueing_lock, args, scheduled_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        job.queue_name,
                        job.task_name,
                        job.priority,
                        job.lock,
                        job.queueing_lock,
                        json.dumps(job.args),
                        _ts(job.scheduled_at) if job.scheduled_at else None,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                if "queueing_lock" in str(exc):
                    raise exceptions.UniqueViolation(
                        constraint_name=manager.QUEUEING_LOCK_CONSTRAINT,
                        queueing_lock=job.queueing_lock,
                    ) from exc
                raise exceptions.ConnectorException(str(exc)) from exc
            out.append({"id": cur.fetchone()[0]})
        return out

    @staticmethod
    def defer_periodic_job(
        c: sqlite3.Connection,
        queue: str,
        lock: str | None,
        queueing_lock: str | None,
        task_name: str,
        priority: int,
        periodic_id: str,
        defer_timestamp: int,
        args: dict[str, Any],
    ) -> Row:
        cur = c.execute(
            "INSERT INTO procrastinate_periodic_defers (task_name, periodic_id, defer_timestamp) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (task_name, periodic_id, defer_timestamp),
        )
        found = cur.fetchone()
        if found is None:  # another process deferred this period already
            return {"id": None}
        job_id = _Queries.defer_jobs(
            c, [JobToDefer(queue, task_name, priority, lock, queueing_lock, args, None)]
        )[0]["id"]
        c.execute(
            "UPDATE procrastinate_periodic_defers SET job_id = ? WHERE id = ?", (job_id, found[0])
        )
        c.execute(
            "DELETE FROM procrastinate_periodic_defers WHERE task_name = ? AND periodic_id = ? "
            "AND defer_timestamp < ?",
            (task_name, periodic_id, defer_timestamp),
        )
        return {"id": job_id}

    @staticmethod
    def fetch_job(c: sqlite3.Connection, queues: list[str] | None, worker_id: int) -> Row:
        params: list[Any] = [worker_id, _now()]
        queue_filter = ""
        if queues is not None:
            queue_filter = f"AND jobs.queue_name IN ({', '.join('?' * len(queues))})"
            params.extend(queues)
        cur = c.execute(
            f"""
            UPDATE procrastinate_jobs SET status = 'doing', worker_id = ?
            WHERE id = (
                SELECT jobs.id FROM procrastinate_jobs AS jobs
                WHERE jobs.status = 'todo'
                  AND (jobs.scheduled_at IS NULL OR jobs.scheduled_at <= ?)
                  {queue_filter}
                  AND NOT EXISTS (
                    SELECT 1 FROM procrastinate_jobs AS other
                    WHERE jobs.lock IS NOT NULL AND other.lock = jobs.lock
                      AND (other.status = 'doing'
                           OR (other.status = 'todo'
                               AND (other.priority > jobs.priority
                                    OR (other.priority = jobs.priority
                                        AND other.id < jobs.id)))))
                ORDER BY jobs.priority DESC, jobs.id ASC LIMIT 1)
            RETURNING {JOB_COLUMNS}
            """,
            params,
        )
        rows = _rows(cur)
        if rows:
            return rows[0]
        return {name.strip(): None for name in JOB_COLUMNS.split(",")}

    @staticmethod
    def select_stalled_jobs_by_started(
        c: sqlite3.Connection, queue: str | None, task_name: str | None, nb_seconds: float
    ) -> list[Row]:
        cur = c.execute(
            f"""
            SELECT {", ".join("job." + n.strip() for n in JOB_COLUMNS.split(","))},
                   MAX(event.at) AS started_at
            FROM procrastinate_jobs AS job
            JOIN procrastinate_events AS event ON event.job_id = job.id
            WHERE event.type = 'started' AND job.status = 'doing'
              AND (? IS NULL OR job.queue_name = ?) AND (? IS NULL OR job.task_name = ?)
            GROUP BY job.id HAVING MAX(event.at) < ?
            """,
            (queue, queue, task_name, task_name, _now(-nb_seconds)),
        )
        return _rows(cur)

    @staticmethod
    def select_stalled_jobs_by_heartbeat(
        c: sqlite3.Connection,
        queue: str | None,
        task_name: str | None,
        seconds_since_heartbeat: float,
    ) -> list[Row]:
        cur = c.execute(
            f"""
            SELECT {", ".join("job." + n.strip() for n in JOB_COLUMNS.split(","))}
            FROM procrastinate_jobs AS job
            LEFT JOIN procrastinate_workers AS w ON w.id = job.worker_id
            WHERE job.status = 'doing'
              AND (? IS NULL OR job.queue_name = ?) AND (? IS NULL OR job.task_name = ?)
              AND (job.worker_id IS NULL OR w.id IS NULL OR w.last_heartbeat < ?)
            """,
            (queue, queue, task_name, task_name, _now(-seconds_since_heartbeat)),
        )
        return _rows(cur)

    @staticmethod
    def delete_old_jobs(
        c: sqlite3.Connection, nb_hours: float, queue: str | None, statuses: list[str]
    ) -> None:
        c.execute(
            f"""
            DELETE FROM procrastinate_jobs WHERE id IN (
                SELECT job.id FROM procrastinate_jobs AS job
                JOIN procrastinate_events AS event ON event.job_id = job.id
                WHERE job.status IN ({", ".join("?" * len(statuses))})
                  AND (? IS NULL OR job.queue_name = ?)
                GROUP BY job.id HAVING MAX(event.at) < ?)
            """,
            (*statuses, queue, queue, _now(-nb_hours * 3600)),
        )

    @staticmethod
    def finish_job(c: sqlite3.Connection, job_id: int, status: str, delete_job: bool) -> None:
        if status not in FINAL:
            raise exceptions.ConnectorException(f"end status {status!r} (job {job_id})")
        if delete_job:
            cur = c.execute(
                "DELETE FROM procrastinate_jobs WHERE id = ? AND status IN ('todo', 'doing') "
                "RETURNING id",
                (job_id,),
            )
        else:
            cur = c.execute(
                "UPDATE procrastinate_jobs SET status = ?, abort_requested = 0, "
                "attempts = CASE status WHEN 'doing' THEN attempts + 1 ELSE attempts END "
                "WHERE id = ? AND status IN ('todo', 'doing') RETURNING id",
                (status, job_id),
            )
        if cur.fetchone() is None:
            raise exceptions.ConnectorException(
                f'Job was not found or not in "doing" or "todo" status (job id: {job_id})'
            )

    @staticmethod
    def cancel_job(c: sqlite3.Connection, job_id: int, abort: bool, delete_job: bool) -> Row:
        found = None
        if delete_job:
            found = c.execute(
                "DELETE FROM procrastinate_jobs WHERE id = ? AND status = 'todo' RETURNING id",
                (job_id,),
            ).fetchone()
        if found is None and abort:
            found = c.execute(
                "UPDATE procrastinate_jobs SET abort_requested = 1, status = CASE status "
                "WHEN 'todo' THEN 'cancelled' ELSE status END "
                "WHERE id = ? AND status IN ('todo', 'doing') RETURNING id",
                (job_id,),
            ).fetchone()
        elif found is None:
            found = c.execute(
                "UPDATE procrastinate_jobs SET status = 'cancelled' "
                "WHERE id = ? AND status = 'todo' RETURNING id",
                (job_id,),
            ).fetchone()
        return {"id": found[0] if found else None}

    @staticmethod
    def get_job_status(c: sqlite3.Connection, job_id: int) -> Row:
        found = c.execute(
            "SELECT status FROM procrastinate_jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if found is None:
            raise exceptions.NoResult
        return {"status": found[0]}

    @staticmethod
    def retry_job(
        c: sqlite3.Connection,
        job_id: int,
        retry_at: datetime | None,
        new_priority: int | None,
        new_queue_name: str | None,
        new_lock: str | None,
    ) -> None:
        found = c.execute(
            "SELECT status, abort_requested FROM procrastinate_jobs "
            "WHERE id = ? AND status IN ('doing', 'failed')",
            (job_id,),
        ).fetchone()
        if found is None:
            raise exceptions.ConnectorException(
                f"Job was not found or has an invalid status to retry (job id: {job_id})"
            )
        if found[0] == "doing" and found[1]:
            c.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE id = ?", (job_id,))
            return
        c.execute(
            "UPDATE procrastinate_jobs SET status = 'todo', attempts = attempts + 1, "
            "scheduled_at = ?, priority = COALESCE(?, priority), "
            "queue_name = COALESCE(?, queue_name), lock = COALESCE(?, lock) WHERE id = ?",
            (
                _ts(retry_at) if retry_at else None,
                new_priority,
                new_queue_name,
                new_lock,
                job_id,
            ),
        )

    @staticmethod
    def check_connection(c: sqlite3.Connection) -> Row:
        found = c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'procrastinate_jobs'"
        ).fetchone()
        return {"check": found[0] if found else None}

    @staticmethod
    def count_jobs_status(c: sqlite3.Connection) -> list[Row]:
        cur = c.execute("SELECT count(*) AS count, status FROM procrastinate_jobs GROUP BY status")
        return _rows(cur)

    @staticmethod
    def list_jobs(
        c: sqlite3.Connection,
        id: int | None = None,
        queue_name: str | None = None,
        task_name: str | None = None,
        status: str | None = None,
        lock: str | None = None,
        queueing_lock: str | None = None,
        worker_id: int | None = None,
    ) -> list[Row]:
        filters = {
            "id": id,
            "queue_name": queue_name,
            "task_name": task_name,
            "status": status,
            "lock": lock,
            "queueing_lock": queueing_lock,
            "worker_id": worker_id,
        }
        where = " AND ".join(f"(? IS NULL OR {k} = ?)" for k in filters)
        params = [v for value in filters.values() for v in (value, value)]
        cur = c.execute(
            f"SELECT {JOB_COLUMNS} FROM procrastinate_jobs WHERE {where} ORDER BY id",
            params,
        )
        return _rows(cur)

    @staticmethod
    def _grouped(
        c: sqlite3.Connection,
        key: str,
        queue_name: str | None,
        task_name: str | None,
        status: str | None,
        lock: str | None,
    ) -> list[Row]:
        jobs = _Queries.list_jobs(
            c, queue_name=queue_name, task_name=task_name, status=status, lock=lock
        )
        stats: dict[str, Counter[str]] = defaultdict(Counter)
        for job in jobs:
            if job[key] is not None:
                stats[job[key]][job["status"]] += 1
        return [
            {"name": name, "jobs_count": sum(s.values()), "stats": dict(s)}
            for name, s in sorted(stats.items())
        ]

    @staticmethod
    def list_queues(
        c: sqlite3.Connection,
        queue_name: str | None = None,
        task_name: str | None = None,
        status: str | None = None,
        lock: str | None = None,
    ) -> list[Row]:
        return _Queries._grouped(c, "queue_name", queue_name, task_name, status, lock)

    @staticmethod
    def list_tasks(
        c: sqlite3.Connection,
        queue_name: str | None = None,
        task_name: str | None = None,
        status: str | None = None,
        lock: str | None = None,
    ) -> list[Row]:
        return _Queries._grouped(c, "task_name", queue_name, task_name, status, lock)

    @staticmethod
    def list_locks(
        c: sqlite3.Connection,
        queue_name: str | None = None,
        task_name: str | None = None,
        status: str | None = None,
        lock: str | None = None,
    ) -> list[Row]:
        return _Queries._grouped(c, "lock", queue_name, task_name, status, lock)

    @staticmethod
    def list_jobs_to_abort(c: sqlite3.Connection, queue_name: str | None) -> list[Row]:
        cur = c.execute(
            "SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND abort_requested = 1 "
            "AND (? IS NULL OR queue_name = ?)",
            (queue_name, queue_name),
        )
        return _rows(cur)

    @staticmethod
    def register_worker(c: sqlite3.Connection) -> Row:
        cur = c.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (?) RETURNING id",
            (_now(),),
        )
        return {"worker_id": cur.fetchone()[0]}

    @staticmethod
    def unregister_worker(c: sqlite3.Connection, worker_id: int) -> None:
        # the PostgreSQL schema's ON DELETE SET NULL, by hand
        c.execute(
            "UPDATE procrastinate_jobs SET worker_id = NULL WHERE worker_id = ?", (worker_id,)
        )
        c.execute("DELETE FROM procrastinate_workers WHERE id = ?", (worker_id,))

    @staticmethod
    def update_heartbeat(c: sqlite3.Connection, worker_id: int) -> None:
        c.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = ? WHERE id = ?", (_now(), worker_id)
        )

    @staticmethod
    def prune_stalled_workers(c: sqlite3.Connection, seconds_since_heartbeat: float) -> list[Row]:
        cur = c.execute(
            "DELETE FROM procrastinate_workers WHERE last_heartbeat < ? RETURNING id AS worker_id",
            (_now(-seconds_since_heartbeat),),
        )
        ids = [r[0] for r in cur.fetchall()]
        for worker_id in ids:
            c.execute(
                "UPDATE procrastinate_jobs SET worker_id = NULL WHERE worker_id = ?", (worker_id,)
            )
        return [{"worker_id": i} for i in ids]


# query text -> handler; a query procrastinate has and this module lacks fails loudly here
HANDLERS: dict[str, Callable[..., Any]] = {}
for _name, _text in sql.queries.items():
    if _name == "listen_queue":  # LISTEN: notifications are in-process on SQLite
        continue
    HANDLERS[_text] = getattr(_Queries, _name)


def _one(result: Any) -> Row:
    if isinstance(result, list):
        if not result:
            raise exceptions.NoResult
        return dict(result[0])
    if result is None:
        raise exceptions.NoResult
    return dict(result)


def _all(result: Any) -> list[Row]:
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]


class SQLiteConnector(connector.BaseAsyncConnector):
    """A procrastinate connector on the service's SQLite database (an SQLAlchemy engine made
    by ``service.db.make_engine``: WAL, ``BEGIN IMMEDIATE``, busy timeout)."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine
        self._notify: connector.Notify | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[asyncio.Future[None]] = set()

    def get_sync_connector(self) -> connector.BaseConnector:
        return self

    def open(self, pool: Any = None) -> None:
        """Nothing to open: connections come from the engine."""

    def close(self) -> None:
        """Nothing to close: the engine belongs to the runtime."""

    async def open_async(self, pool: Any = None) -> None:
        self._loop = asyncio.get_running_loop()

    async def close_async(self) -> None:
        self._loop = None

    def _run(self, query: str, arguments: dict[str, Any]) -> Any:
        handler = HANDLERS[query]
        if self.engine is None:
            raise exceptions.AppNotOpen
        with self.engine.begin() as conn:
            result = handler(conn.connection.driver_connection, **arguments)
        if query == sql.queries["defer_jobs"]:
            self.wake()
        return result

    def wake(self) -> None:
        """Tell a worker of this process that a job is waiting (other processes poll)."""
        loop, notify = self._loop, self._notify
        if loop is None or notify is None or loop.is_closed():
            return
        payload = json.dumps({"type": "job_inserted", "job_id": 0})

        def fire() -> None:
            task = asyncio.ensure_future(
                notify(channel="procrastinate_any_queue_v1", payload=payload)
            )
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

        loop.call_soon_threadsafe(fire)

    # synchronous API (deferring from request threads, the CLI)
    def execute_query(self, query: str, **arguments: Any) -> None:
        self._run(query, arguments)

    def execute_query_one(self, query: str, **arguments: Any) -> Row:
        return _one(self._run(query, arguments))

    def execute_query_all(self, query: str, **arguments: Any) -> list[Row]:
        return _all(self._run(query, arguments))

    def execute_query_one_with_connection(
        self, connection: sqlite3.Connection, query: str, **arguments: Any
    ) -> Row:
        return _one(HANDLERS[query](connection, **arguments))

    def execute_query_all_with_connection(
        self, connection: sqlite3.Connection, query: str, **arguments: Any
    ) -> list[Row]:
        return _all(HANDLERS[query](connection, **arguments))

    # asynchronous API (the worker): each query in a thread, so a busy write lock never
    # stalls the worker's loop (heartbeats included)
    async def execute_query_async(self, query: str, **arguments: Any) -> None:
        await asyncio.to_thread(self._run, query, arguments)

    async def execute_query_one_async(self, query: str, **arguments: Any) -> Row:
        return _one(await asyncio.to_thread(self._run, query, arguments))

    async def execute_query_all_async(self, query: str, **arguments: Any) -> list[Row]:
        return _all(await asyncio.to_thread(self._run, query, arguments))

    async def listen_notify(
        self, on_notification: connector.Notify, channels: Iterable[str]
    ) -> None:
        self._notify = on_notification
        self._loop = asyncio.get_running_loop()
        await asyncio.Event().wait()  # like LISTEN: runs until the worker stops
