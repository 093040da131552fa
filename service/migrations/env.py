"""Alembic environment: the URL comes from the caller (``service.migrate``) or settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from service.models import Base

target_metadata = Base.metadata
# Expression and covering indexes the migrations make by hand, on one backend only.
HAND_MADE_INDEXES = {
    "ix_archive_texts_body_tail",  # SQLite
    "ix_archive_texts_grams",  # PostgreSQL, as the next two
    "ix_archives_party_grams",
    "ix_archives_id_sort_keys",
}


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The SQLite FTS5 index and its shadow tables are managed by hand in the migrations.
    if type_ == "index" and name in HAND_MADE_INDEXES:
        return False
    # So are procrastinate's tables (migration 0010; the job engine owns them).
    return not (
        type_ == "table" and name is not None and name.startswith(("archive_fts", "procrastinate_"))
    )


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the connection handed over in ``config.attributes`` or a new engine."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from service.config import Settings
    from service.db import make_engine

    url = context.config.get_main_option("sqlalchemy.url") or Settings().resolved_database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
