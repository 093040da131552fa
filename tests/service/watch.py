"""Watching requests: whether another writer could commit while the object store was being
asked and while the body streams (SQLite's one write lock), and which audit entry was
committed when the first byte of each response body left — a download's read, a refusal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive.storage import ObjectStore
from service.app import create_app
from service.audit.models import AuditEntry
from service.db import reading
from service.runtime import Runtime

STORE_READS = ("get", "stat", "stream")
# Set while the watched client's request is handled (the threads it uses copy the context),
# so that the jobs' own reads, in their threads, are not taken for the request's.
_in_request: ContextVar[bool] = ContextVar("in_watched_request", default=False)


class RequestWatch:
    """Wraps the given stores' reads and the app; see the module's docstring."""

    def __init__(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch, *stores: ObjectStore
    ) -> None:
        self.runtime = runtime
        url = runtime.settings.resolved_database_url
        self.sqlite_path = url.removeprefix("sqlite:///") if url.startswith("sqlite") else None
        self.store_reads: list[str] = []
        # store reads (or "body": the streaming) during which no writer could commit
        self.writer_waited: list[str] = []
        self.audit_at_first_byte: list[str | None] = []  # one per response with a body
        for store in stores:
            for name in STORE_READS:
                monkeypatch.setattr(store, name, self._probing(name, getattr(store, name)))

    def _probing(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def read(*args: Any, **kwargs: Any) -> Any:
            if not _in_request.get():
                return real(*args, **kwargs)
            self.store_reads.append(name)
            if not self.writer_commits():
                self.writer_waited.append(name)
            return real(*args, **kwargs)

        return read

    def writer_commits(self) -> bool:
        """Whether another connection can take the write lock and commit within 2 s (SQLite;
        on PostgreSQL writers of other rows never wait for each other)."""
        if self.sqlite_path is None:
            return True
        conn = sqlite3.connect(self.sqlite_path, timeout=2.0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("COMMIT")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()

    def newest_audit(self) -> str | None:
        """The action of the newest committed audit entry (read from another connection)."""
        with reading(self.runtime.sessions) as s:
            return s.scalar(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(1))

    def client(self, app: ASGIApp | None = None, **options: Any) -> TestClient:
        """A client of ``app`` (a new one on the runtime by default) whose requests' store
        reads are watched, and that notes the newest committed audit entry the moment the
        first byte of each response body is sent. Use
        it without ``with`` to wrap an app whose lifespan another client already runs;
        ``options`` go to the ``TestClient``."""
        app = app or create_app(runtime=self.runtime)

        async def watching(scope: Scope, receive: Receive, send: Send) -> None:
            first = True

            async def send_watched(message: Message) -> None:
                nonlocal first
                if message["type"] == "http.response.body" and first:
                    first = False
                    self.audit_at_first_byte.append(self.newest_audit())
                    if not self.writer_commits():  # the body is being streamed now
                        self.writer_waited.append("body")
                await send(message)

            token = _in_request.set(True)
            try:
                await app(scope, receive, send_watched)
            finally:
                _in_request.reset(token)

        return TestClient(watching, **options)
