"""Transaction-scoped locks on arbitrary keys (idempotency keys, external references)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_key(session: Session, *parts: str) -> None:
    """Serialise transactions that use the same key until they commit or roll back.

    PostgreSQL takes an advisory transaction lock; SQLite needs nothing because every writing
    transaction already holds the database write lock (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
