"""Case-file reviews (案卷评查) and revisits (回访): the draws and the cases they drew.

A draw is made once per kind and period, its seed derived from them and recorded, with the
population it drew from, so that anyone can redo it; a case is drawn at most once per kind.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class DrawKind(StrEnum):
    """What a draw is for."""

    review = "review"  # monthly case-file review of cases closed in a month
    revisit = "revisit"  # quarterly revisit (回访) of cases closed in a quarter


class ReviewDraw(Base):
    """One draw: its period (``2026-10`` or ``2026Q3``), share, seed and population."""

    __tablename__ = "review_draws"
    __table_args__ = (UniqueConstraint("kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DrawKind] = mapped_column(
        Enum(DrawKind, native_enum=False, length=16, name="draw_kind")
    )
    period: Mapped[str] = mapped_column(String(8))
    share: Mapped[float] = mapped_column(Float)
    seed: Mapped[str] = mapped_column(String(64))
    population: Mapped[list[int]] = mapped_column(JSON)  # the eligible case ids, ascending
    drawn_at: Mapped[datetime] = mapped_column(UtcDateTime)
    drawn_by: Mapped[str] = mapped_column(String(128))


class ReviewSample(Base):
    """A case a draw drew, and what became of it: its review score or its revisit."""

    __tablename__ = "review_samples"
    __table_args__ = (UniqueConstraint("kind", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("review_draws.id"), index=True)
    kind: Mapped[DrawKind] = mapped_column(
        Enum(DrawKind, native_enum=False, length=16, name="draw_kind")
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    position: Mapped[int] = mapped_column(Integer)
    # the review: each item's points awarded and note, the total, pass or fail
    items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    score: Mapped[int | None] = mapped_column(Integer)
    pass_mark: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    findings: Mapped[str | None] = mapped_column(Text)
    reviewed_on: Mapped[date | None] = mapped_column(Date, index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # the revisit: when, what the party said, and the satisfaction score where given
    revisited_on: Mapped[date | None] = mapped_column(Date)
    revisit_outcome: Mapped[str | None] = mapped_column(Text)
    revisit_satisfaction: Mapped[int | None] = mapped_column(Integer)
    revisited_by: Mapped[str | None] = mapped_column(String(128))
