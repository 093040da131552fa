"""the case as a process: acts with their own dates, materialised steps, the document's 成文日期
and corrections (void, replaces), the case's section, handler, clue and closure dates

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LOCAL = ZoneInfo("Asia/Shanghai")


def _local_date(value: object) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL).date()


def upgrade() -> None:
    op.add_column("cases", sa.Column("section", sa.String(length=100), nullable=True))
    op.add_column("cases", sa.Column("handler", sa.String(length=100), nullable=True))
    op.add_column("cases", sa.Column("clue_received_on", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("closed_on", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("satisfaction", sa.Integer(), nullable=True))
    op.create_index("ix_cases_section", "cases", ["section"])
    op.create_index("ix_cases_handler", "cases", ["handler"])
    op.add_column("documents", sa.Column("issued_on", sa.Date(), nullable=True))
    op.add_column(
        "documents",
        sa.Column("replaces_id", sa.Integer(), nullable=True),
    )
    op.add_column(
        "documents", sa.Column("voided_at", service.db.UtcDateTime(timezone=True), nullable=True)
    )
    op.add_column("documents", sa.Column("voided_by", sa.String(length=128), nullable=True))
    op.add_column("documents", sa.Column("void_reason", sa.Text(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint to a table
        op.create_foreign_key(
            "fk_documents_replaces_id_documents", "documents", "documents", ["replaces_id"], ["id"]
        )

    # Dates for what exists: the only ones known are when the service recorded things.
    conn = op.get_bind()
    cases = conn.execute(sa.text("SELECT id, created_at, closed_at FROM cases")).all()
    for case_id, created_at, closed_at in cases:
        conn.execute(
            sa.text("UPDATE cases SET clue_received_on = :c, closed_on = :d WHERE id = :i"),
            {
                "c": _local_date(created_at),
                "d": _local_date(closed_at) if closed_at else None,
                "i": case_id,
            },
        )
    for doc_id, issued_at in conn.execute(sa.text("SELECT id, issued_at FROM documents")).all():
        conn.execute(
            sa.text("UPDATE documents SET issued_on = :d WHERE id = :i"),
            {"d": _local_date(issued_at), "i": doc_id},
        )
    if conn.dialect.name != "sqlite":
        # SQLite would have to copy both tables, which others reference; there the service
        # alone keeps these two filled (every insert sets them).
        op.alter_column("cases", "clue_received_on", existing_type=sa.Date(), nullable=False)
        op.alter_column("documents", "issued_on", existing_type=sa.Date(), nullable=False)

    op.create_table(
        "acts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "clue_received",
                "verification_done",
                "legal_review_concluded",
                "approval_signed",
                "notice_issued",
                "document_served",
                "interview_held",
                "rectification_notice_issued",
                "report_received",
                "acceptance_concluded",
                "penalty_started",
                "case_closed",
                name="act_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("occurred_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", service.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("voided_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_acts_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_acts_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acts")),
    )
    op.create_index("ix_acts_case_id_kind", "acts", ["case_id", "kind"])
    op.create_index(op.f("ix_acts_document_id"), "acts", ["document_id"])
    op.create_table(
        "case_steps",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "open", "done", name="step_status", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_at", service.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_late", sa.Boolean(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("notified", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_steps_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", "step", name=op.f("pk_case_steps")),
    )
    op.create_index("ix_case_steps_status_due_on", "case_steps", ["status", "due_on"])
    # Every existing case has received its clue; the rest is `anjuan process backfill`.
    now = datetime.now(UTC)
    for case_id, created_at, _closed in cases:
        conn.execute(
            sa.text(
                "INSERT INTO acts (case_id, kind, occurred_on, detail, recorded_by, recorded_at) "
                "VALUES (:c, 'clue_received', :d, '{}', 'migration', :now)"
            ),
            {"c": case_id, "d": _local_date(created_at), "now": now},
        )


def downgrade() -> None:
    op.drop_table("case_steps")
    op.drop_table("acts")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_documents_replaces_id_documents", "documents", type_="foreignkey")
    for column in ("void_reason", "voided_by", "voided_at", "replaces_id", "issued_on"):
        op.drop_column("documents", column)
    op.drop_index("ix_cases_handler", "cases")
    op.drop_index("ix_cases_section", "cases")
    for column in ("satisfaction", "closed_on", "clue_received_on", "handler", "section"):
        op.drop_column("cases", column)
