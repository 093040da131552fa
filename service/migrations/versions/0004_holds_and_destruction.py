"""holds and destruction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "destruction_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_no", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("appraisal", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "approved",
                "rejected",
                "executing",
                "executed",
                name="list_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("proposed_by", sa.String(length=128), nullable=False),
        sa.Column("proposed_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("executed_by", sa.String(length=128), nullable=True),
        sa.Column("executed_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("record_key", sa.String(length=300), nullable=True),
        sa.Column("record_version", sa.String(length=128), nullable=True),
        sa.Column("record_sha256", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destruction_lists")),
        sa.UniqueConstraint("list_no", name=op.f("uq_destruction_lists_list_no")),
    )
    with op.batch_alter_table("destruction_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_destruction_lists_status"), ["status"], unique=False)

    op.create_table(
        "supervisor_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("confirmed_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["destruction_lists.id"],
            name=op.f("fk_supervisor_confirmations_list_id_destruction_lists"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_supervisor_confirmations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_confirmations")),
        sa.UniqueConstraint(
            "list_id", "user_id", name=op.f("uq_supervisor_confirmations_list_id_user_id")
        ),
    )
    with op.batch_alter_table("supervisor_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervisor_confirmations_list_id"), ["list_id"], unique=False
        )

    op.create_table(
        "archive_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "review",
                "reconsideration",
                "litigation",
                "complaint",
                "other",
                name="hold_kind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=128), nullable=False),
        sa.Column("placed_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=128), nullable=True),
        sa.Column("released_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"], ["archives.id"], name=op.f("fk_archive_holds_archive_id_archives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_holds")),
    )
    with op.batch_alter_table("archive_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_archive_holds_archive_id"), ["archive_id"], unique=False
        )

    op.create_table(
        "destruction_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("destroyed_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"], ["archives.id"], name=op.f("fk_destruction_items_archive_id_archives")
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["destruction_lists.id"],
            name=op.f("fk_destruction_items_list_id_destruction_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destruction_items")),
        sa.UniqueConstraint(
            "list_id", "archive_id", name=op.f("uq_destruction_items_list_id_archive_id")
        ),
    )
    with op.batch_alter_table("destruction_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_destruction_items_archive_id"), ["archive_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_destruction_items_list_id"), ["list_id"], unique=False)

    op.create_table(
        "destruction_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.Column("archive_no", sa.String(length=64), nullable=False),
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("retention_class", sa.String(length=8), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("list_no", sa.String(length=64), nullable=False),
        sa.Column("proposed_by", sa.String(length=128), nullable=False),
        sa.Column("proposed_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=128), nullable=False),
        sa.Column("approved_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("supervisors", sa.JSON(), nullable=False),
        sa.Column("executed_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("store_answer", sa.JSON(), nullable=False),
        sa.Column("versions_deleted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["archives.id"],
            name=op.f("fk_destruction_register_archive_id_archives"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["destruction_lists.id"],
            name=op.f("fk_destruction_register_list_id_destruction_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destruction_register")),
        sa.UniqueConstraint("archive_id", name=op.f("uq_destruction_register_archive_id")),
        sa.UniqueConstraint("archive_no", name=op.f("uq_destruction_register_archive_no")),
    )
    with op.batch_alter_table("destruction_register", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_destruction_register_list_id"), ["list_id"], unique=False
        )

    with op.batch_alter_table("archives", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retain_until", service.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_archives_retain_until"), ["retain_until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("archives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archives_retain_until"))
        batch_op.drop_column("retain_until")

    with op.batch_alter_table("destruction_register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_destruction_register_list_id"))

    op.drop_table("destruction_register")
    with op.batch_alter_table("destruction_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_destruction_items_list_id"))
        batch_op.drop_index(batch_op.f("ix_destruction_items_archive_id"))

    op.drop_table("destruction_items")
    with op.batch_alter_table("archive_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_holds_archive_id"))

    op.drop_table("archive_holds")
    with op.batch_alter_table("supervisor_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervisor_confirmations_list_id"))

    op.drop_table("supervisor_confirmations")
    with op.batch_alter_table("destruction_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_destruction_lists_status"))

    op.drop_table("destruction_lists")
