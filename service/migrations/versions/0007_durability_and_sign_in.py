"""durability and sign-in: reserved 档号 and archive fingerprints, token generations, revoked
keys, sign-in throttling

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_numbers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("archive_no", sa.String(length=64), nullable=False),
        sa.Column("fonds_no", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("retention_class", sa.String(length=8), nullable=False),
        sa.Column("verify_id", sa.String(length=32), nullable=False),
        sa.Column("reserved_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_archive_numbers_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_archive_numbers")),
        sa.UniqueConstraint("archive_no", name=op.f("uq_archive_numbers_archive_no")),
        sa.UniqueConstraint("verify_id", name=op.f("uq_archive_numbers_verify_id")),
    )
    # Archives made before this revision keep their 档号 when archived again.
    op.execute(
        "INSERT INTO archive_numbers (case_id, archive_no, fonds_no, year, item_no, "
        "retention_class, verify_id, reserved_at) SELECT case_id, archive_no, fonds_no, year, "
        "item_no, retention_class, verify_id, archived_at FROM archives"
    )
    # Plain ADD/DROP COLUMN (SQLite >= 3.35 has both): a batch copy of a table that others
    # reference would trip their foreign keys.
    op.add_column("archives", sa.Column("content_hash", sa.String(length=64), nullable=True))
    op.add_column(
        "users", sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "users", sa.Column("updated_at", service.db.UtcDateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "api_keys", sa.Column("revoked_at", service.db.UtcDateTime(timezone=True), nullable=True)
    )
    op.add_column("api_keys", sa.Column("revoked_by", sa.String(length=128), nullable=True))
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )


def downgrade() -> None:
    op.drop_table("login_throttles")
    op.drop_column("api_keys", "revoked_by")
    op.drop_column("api_keys", "revoked_at")
    op.drop_column("users", "updated_at")
    op.drop_column("users", "token_generation")
    op.drop_column("archives", "content_hash")
    op.drop_table("archive_numbers")
