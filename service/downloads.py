"""Audited downloads: the file is found in the store outside any transaction, its read is
recorded in a short transaction of its own, committed before the first byte leaves."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from archive.storage import ObjectStore
from service.db import transaction


def record_read(sessions: sessionmaker[Session], audit: Callable[[Session], object]) -> None:
    """Commit the audit entry of a download now, before anything is streamed."""
    with transaction(sessions) as session:
        audit(session)


def audited_stream(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    key: str,
    audit: Callable[[Session], object],
    *,
    media_type: str,
    headers: Mapping[str, str],
    version_id: str | None = None,
) -> StreamingResponse:
    """The object streamed with its ``Content-Length``; a missing or unreachable object fails
    first (unrecorded), then ``audit`` is committed, then the bytes flow. No transaction is
    open while the store is asked (on SQLite a write one would hold the write lock)."""
    info = store.stat(key, version_id)
    record_read(sessions, audit)
    chunks: Iterable[bytes] = store.stream(key, version_id)
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={**headers, "Content-Length": str(info.size)},
    )
