"""the template registry: every version of every template (its DOCX in object storage), the
version row each document was rendered by, and the pack each case uses

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Built-in versions are seeded by the service at start (it puts their DOCX in the documents
bucket), not here; documents issued before keep their version hash, and point at a row once
the seed finds their version is the built-in one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "active",
                "retired",
                name="template_version_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "builtin", "upload", name="template_version_source", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("docx_key", sa.String(length=300), nullable=False),
        sa.Column("docx_storage_version", sa.String(length=128), nullable=True),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("lint", sa.JSON(), nullable=False),
        sa.Column("specimen_docx_key", sa.String(length=300), nullable=True),
        sa.Column("specimen_pdf_key", sa.String(length=300), nullable=True),
        sa.Column("specimen_error", sa.Text(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.Column("uploaded_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("activated_by", sa.String(length=128), nullable=True),
        sa.Column("activated_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("retired_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_versions")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_template_versions_code_version")),
    )
    op.create_index(op.f("ix_template_versions_code"), "template_versions", ["code"])
    op.create_index(
        "uq_template_versions_active",
        "template_versions",
        ["code"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    op.add_column("documents", sa.Column("template_version_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint to a table
        op.create_foreign_key(
            "fk_documents_template_version_id_template_versions",
            "documents",
            "template_versions",
            ["template_version_id"],
            ["id"],
        )
    op.add_column(
        "cases",
        sa.Column("pack", sa.String(length=16), server_default="interview", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("cases", "pack")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            "fk_documents_template_version_id_template_versions", "documents", type_="foreignkey"
        )
    op.drop_column("documents", "template_version_id")
    op.drop_index("uq_template_versions_active", table_name="template_versions")
    op.drop_index(op.f("ix_template_versions_code"), table_name="template_versions")
    op.drop_table("template_versions")
