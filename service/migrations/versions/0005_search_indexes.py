"""search indexes: 2-character tails, class + expiry, closure date

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_archives_retention_class_expires_on", "archives", ["retention_class", "expires_on"]
    )
    op.create_index("ix_archives_closed_on", "archives", ["closed_on"])
    if op.get_bind().dialect.name == "sqlite":
        # A 2-character term is found through its trigrams, or at the very end of a text;
        # this index serves the end. The expression must match service/archives/search.py.
        op.execute(
            "CREATE INDEX ix_archive_texts_body_tail ON archive_texts (lower(substr(body, -2)))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX ix_archive_texts_body_tail")
    op.drop_index("ix_archives_closed_on", "archives")
    op.drop_index("ix_archives_retention_class_expires_on", "archives")
