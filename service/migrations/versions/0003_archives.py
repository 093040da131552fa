"""archives

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("archive_no", sa.String(length=64), nullable=False),
        sa.Column("fonds_no", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("retention_class", sa.String(length=8), nullable=False),
        sa.Column("retention_reason", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("archived", "destroyed", name="archive_status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("interview_on", sa.Date(), nullable=True),
        sa.Column("object_key", sa.String(length=300), nullable=False),
        sa.Column("version_id", sa.String(length=128), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("verify_id", sa.String(length=32), nullable=False),
        sa.Column("contents", sa.JSON(), nullable=False),
        sa.Column("integrity", sa.JSON(), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("archived_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("archived_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_archives_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives")),
        sa.UniqueConstraint("archive_no", name=op.f("uq_archives_archive_no")),
        sa.UniqueConstraint("case_id", name=op.f("uq_archives_case_id")),
        sa.UniqueConstraint("verify_id", name=op.f("uq_archives_verify_id")),
    )
    with op.batch_alter_table("archives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archives_archived_at"), ["archived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_archives_case_no"), ["case_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_archives_expires_on"), ["expires_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_archives_party_name"), ["party_name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_archives_retention_class"), ["retention_class"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_archives_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_archives_year"), ["year"], unique=False)

    op.create_table(
        "archive_texts",
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["archive_id"], ["archives.id"], name=op.f("fk_archive_texts_archive_id_archives")
        ),
        sa.PrimaryKeyConstraint("archive_id", name=op.f("pk_archive_texts")),
    )
    op.create_table(
        "archive_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.String(length=128), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("archived_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("archived_by", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"], ["archives.id"], name=op.f("fk_archive_versions_archive_id_archives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_versions")),
    )
    with op.batch_alter_table("archive_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_archive_versions_archive_id"), ["archive_id"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "outcome",
                sa.Enum(
                    "passed", "penalty", "other", name="case_outcome", native_enum=False, length=16
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("closed_at", service.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("archive_error", sa.Text(), nullable=True))

    _create_text_index()


def _create_text_index() -> None:
    """Chinese full-text: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE archive_fts USING fts5("
            "body, content='archive_texts', content_rowid='archive_id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER archive_texts_ai AFTER INSERT ON archive_texts BEGIN "
            "INSERT INTO archive_fts(rowid, body) VALUES (new.archive_id, new.body); END"
        )
        op.execute(
            "CREATE TRIGGER archive_texts_ad AFTER DELETE ON archive_texts BEGIN "
            "INSERT INTO archive_fts(archive_fts, rowid, body) "
            "VALUES ('delete', old.archive_id, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER archive_texts_au AFTER UPDATE ON archive_texts BEGIN "
            "INSERT INTO archive_fts(archive_fts, rowid, body) "
            "VALUES ('delete', old.archive_id, old.body); "
            "INSERT INTO archive_fts(rowid, body) VALUES (new.archive_id, new.body); END"
        )
    elif bind.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        op.execute(
            "CREATE INDEX ix_archive_texts_body_trgm ON archive_texts "
            "USING gin (body public.gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS archive_fts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("archive_error")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("outcome")

    with op.batch_alter_table("archive_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_versions_archive_id"))

    op.drop_table("archive_versions")
    op.drop_table("archive_texts")
    with op.batch_alter_table("archives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_year"))
        batch_op.drop_index(batch_op.f("ix_archives_status"))
        batch_op.drop_index(batch_op.f("ix_archives_retention_class"))
        batch_op.drop_index(batch_op.f("ix_archives_party_name"))
        batch_op.drop_index(batch_op.f("ix_archives_expires_on"))
        batch_op.drop_index(batch_op.f("ix_archives_case_no"))
        batch_op.drop_index(batch_op.f("ix_archives_archived_at"))

    op.drop_table("archives")
