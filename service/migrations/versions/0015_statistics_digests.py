"""statistics: the digest of each kept month's counts (a process decodes a month once), and
the open steps due at a time (urgent cases) found by an index instead of a scan of every open
step

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OPEN_TIMED = "status = 'open' AND due_at IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("statistics_months") as batch:
        batch.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
    # counts kept before this revision have no digest: count them again
    op.execute("UPDATE statistics_months SET data = NULL, computed_at = NULL, gen = gen + 1")
    op.create_index(
        "ix_case_steps_open_due_at",
        "case_steps",
        ["due_at"],
        sqlite_where=sa.text(OPEN_TIMED),
        postgresql_where=sa.text(OPEN_TIMED),
    )


def downgrade() -> None:
    op.drop_index("ix_case_steps_open_due_at", table_name="case_steps")
    with op.batch_alter_table("statistics_months") as batch:
        batch.drop_column("digest")
