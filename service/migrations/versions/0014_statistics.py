"""statistics and case-file reviews: indexes for counting acts, steps and documents by date;
the review and revisit draws and the cases they drew; the signed quarterly reports; the statistics'
months cache

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DRAW_KIND = sa.Enum("review", "revisit", name="draw_kind", native_enum=False, length=16)


def upgrade() -> None:
    op.create_index("ix_acts_kind_occurred_on", "acts", ["kind", "occurred_on"])
    op.create_index("ix_case_steps_done_on", "case_steps", ["done_on"])
    op.create_index("ix_documents_issued_on", "documents", ["issued_on"])
    op.create_index("ix_documents_voided_at", "documents", ["voided_at"])
    op.create_index("ix_case_steps_due_on", "case_steps", ["due_on"])
    op.create_table(
        "review_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", DRAW_KIND, nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("population", sa.JSON(), nullable=False),
        sa.Column("drawn_at", service.db.UtcDateTime(), nullable=False),
        sa.Column("drawn_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_draws")),
        sa.UniqueConstraint("kind", "period", name=op.f("uq_review_draws_kind_period")),
    )
    op.create_table(
        "review_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("kind", DRAW_KIND, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("pass_mark", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=128), nullable=True),
        sa.Column("reviewed_at", service.db.UtcDateTime(), nullable=True),
        sa.Column("revisited_on", sa.Date(), nullable=True),
        sa.Column("revisit_outcome", sa.Text(), nullable=True),
        sa.Column("revisit_satisfaction", sa.Integer(), nullable=True),
        sa.Column("revisited_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["review_draws.id"], name=op.f("fk_review_samples_draw_id_review_draws")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_review_samples_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_samples")),
        sa.UniqueConstraint("kind", "case_id", name=op.f("uq_review_samples_kind_case_id")),
    )
    op.create_index("ix_review_samples_draw_id", "review_samples", ["draw_id"])
    op.create_index("ix_review_samples_reviewed_on", "review_samples", ["reviewed_on"])
    op.create_table(
        "statistics_months",
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("gen", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("computed_at", service.db.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_statistics_months")),
    )
    op.create_table(
        "quarterly_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("doc_no", sa.String(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("retention", sa.String(length=16), nullable=False),
        sa.Column("docx_key", sa.String(length=300), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_key", sa.String(length=300), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_version_id", sa.String(length=128), nullable=True),
        sa.Column("pdf_size", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=128), nullable=False),
        sa.Column("signed_at", service.db.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarterly_reports")),
        sa.UniqueConstraint("quarter", name=op.f("uq_quarterly_reports_quarter")),
        sa.UniqueConstraint("doc_no", name=op.f("uq_quarterly_reports_doc_no")),
    )


def downgrade() -> None:
    op.drop_table("quarterly_reports")
    op.drop_table("statistics_months")
    op.drop_index("ix_review_samples_reviewed_on", table_name="review_samples")
    op.drop_index("ix_review_samples_draw_id", table_name="review_samples")
    op.drop_table("review_samples")
    op.drop_table("review_draws")
    op.drop_index("ix_case_steps_due_on", table_name="case_steps")
    op.drop_index("ix_documents_voided_at", table_name="documents")
    op.drop_index("ix_documents_issued_on", table_name="documents")
    op.drop_index("ix_case_steps_done_on", table_name="case_steps")
    op.drop_index("ix_acts_kind_occurred_on", table_name="acts")
