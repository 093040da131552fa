"""calendar years: the State Council's holiday schedules as the office loads them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24

Self-contained (one new table) so that it can be re-chained after other migrations at merge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("notice", sa.String(length=200), nullable=True),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("loaded_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )


def downgrade() -> None:
    op.drop_table("calendar_years")
