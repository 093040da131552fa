"""materials: files of a case that are not rendered documents, and the archive's list of them

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26

Self-contained (one new table, one new nullable column) so that it can be re-chained after
other migrations at merge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("ref_no", sa.String(length=64), nullable=True),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("filing", sa.String(length=16), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("storage_version", sa.String(length=128), nullable=True),
        sa.Column("archive_key", sa.String(length=300), nullable=True),
        sa.Column("archive_version", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("uploaded_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_materials_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint(
            "client_id", "idempotency_key", name=op.f("uq_materials_client_id_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_materials_case_id"), "materials", ["case_id"], unique=False)
    # Plain ALTER TABLE (SQLite >= 3.35 drops columns too): a batch rebuild of archives would
    # have to drop a table other tables refer to.
    op.add_column("archives", sa.Column("materials", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("archives", "materials")
    op.drop_index(op.f("ix_materials_case_id"), table_name="materials")
    op.drop_table("materials")
