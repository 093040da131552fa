"""gram keys for Chinese full text on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

PostgreSQL's pg_trgm index cannot look up a term shorter than three characters, and most
Chinese words have two: such a search read every text. ``archive_texts.grams`` holds each
text's characters and character pairs (``service.archives.grams``) under a GIN index that
answers one- and two-character terms alone and narrows longer ones; it replaces the pg_trgm
index on the texts. New texts' bodies are compressed with lz4 where the server has it: a
longer term is confirmed by ``LIKE`` on the bodies, and lz4 unpacks them faster than pglz.

SQLite gets the column too (the model is shared) and leaves it empty: FTS5 serves search there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from service.archives.grams import text_keys

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        op.add_column("archive_texts", sa.Column("grams", sa.JSON(), nullable=True))
        return
    op.add_column("archive_texts", sa.Column("grams", postgresql.ARRAY(sa.Text()), nullable=True))
    lz4 = bind.scalar(
        sa.text(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
    )
    if lz4:
        op.execute("ALTER TABLE archive_texts ALTER COLUMN body SET COMPRESSION lz4")
        op.execute("ALTER TABLE archive_texts ALTER COLUMN grams SET COMPRESSION lz4")
    _fill_grams(bind)
    op.execute("DROP INDEX IF EXISTS ix_archive_texts_body_trgm")
    op.create_index("ix_archive_texts_grams", "archive_texts", ["grams"], postgresql_using="gin")


def _fill_grams(bind: sa.Connection) -> None:
    texts = sa.table(
        "archive_texts",
        sa.column("archive_id", sa.Integer),
        sa.column("body", sa.Text),
        sa.column("grams", postgresql.ARRAY(sa.Text())),
    )
    after = 0
    while True:
        rows = bind.execute(
            sa.select(texts.c.archive_id, texts.c.body)
            .where(texts.c.archive_id > after)
            .order_by(texts.c.archive_id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            texts.update()
            .where(texts.c.archive_id == sa.bindparam("id"))
            .values(grams=sa.bindparam("keys")),
            [{"id": archive_id, "keys": text_keys(body)} for archive_id, body in rows],
        )
        after = rows[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        # In place (SQLite 3.35+): a batch rebuild of the table would drop its FTS triggers.
        op.execute("ALTER TABLE archive_texts DROP COLUMN grams")
        return
    op.drop_index("ix_archive_texts_grams", "archive_texts")
    op.execute(
        "CREATE INDEX ix_archive_texts_body_trgm ON archive_texts "
        "USING gin (body public.gin_trgm_ops)"
    )
    op.drop_column("archive_texts", "grams")
