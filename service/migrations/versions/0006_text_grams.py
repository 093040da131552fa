"""PostgreSQL full text by character runs of up to four

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

pg_trgm cannot look up a term shorter than three characters, and most Chinese words have two:
such a search read every text, and every longer match had to be confirmed against its text.
``anjuan_text_grams(text)`` lists a text's runs of one to four characters, case folded, leaving
out whitespace; a GIN index over it, replacing the pg_trgm one, finds a term of up to four
characters from the index alone (the term is one of the runs) and narrows a longer one to the
texts that have all of its four-character runs. A second such index serves the party filter.

The texts' bodies move out of the table's rows (``toast_tuple_target``; lz4 where the server
has it): a search reads one small row per match instead of a page. Texts stored before this
migration keep their place until rewritten (``VACUUM FULL archive_texts``).

SQLite is untouched: FTS5 serves search there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Keep in step with service/archives/search.py, which calls it by name.
# Whitespace runs become one space, and no run with a space is kept; GIN drops duplicates.
# The character array zipped with itself shifted by one, two and three gives each position's
# runs. About 2 ms per 1,000-character text, in plain SQL (a PL/pgSQL loop is slower).
TEXT_GRAMS = r"""
CREATE FUNCTION anjuan_text_grams(body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(g), '{}')
  FROM (SELECT regexp_split_to_array(regexp_replace(lower(body), '\s+', ' ', 'g'), '') AS c) AS s,
    unnest(c, c[2:], c[3:], c[4:]) AS t(c1, c2, c3, c4),
    unnest(ARRAY[c1, c1 || c2, c1 || c2 || c3, c1 || c2 || c3 || c4]) AS g
  WHERE strpos(g, ' ') = 0
$$
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(TEXT_GRAMS)
    op.execute("ALTER TABLE archive_texts SET (toast_tuple_target = 128)")
    lz4 = bind.scalar(
        sa.text(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
    )
    if lz4:
        op.execute("ALTER TABLE archive_texts ALTER COLUMN body SET COMPRESSION lz4")
    op.execute("DROP INDEX IF EXISTS ix_archive_texts_body_trgm")
    op.execute(
        "CREATE INDEX ix_archive_texts_grams ON archive_texts USING gin (anjuan_text_grams(body))"
    )
    # The party filter is a substring too, mostly of two to four characters.
    op.execute(
        "CREATE INDEX ix_archives_party_grams ON archives USING gin (anjuan_text_grams(party_name))"
    )
    # Sorting a few hundred matches by id reads this small index, not the archives' pages.
    op.execute(
        "CREATE INDEX ix_archives_id_sort_keys ON archives (id) "
        "INCLUDE (archived_at, closed_on, expires_on, archive_no)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_archives_id_sort_keys")
    op.execute("DROP INDEX ix_archives_party_grams")
    op.execute("DROP INDEX ix_archive_texts_grams")
    op.execute("DROP FUNCTION anjuan_text_grams(text)")
    op.execute("ALTER TABLE archive_texts ALTER COLUMN body SET COMPRESSION default")
    op.execute("ALTER TABLE archive_texts RESET (toast_tuple_target)")
    op.execute(
        "CREATE INDEX ix_archive_texts_body_trgm ON archive_texts "
        "USING gin (body public.gin_trgm_ops)"
    )
