"""Number sequences for 案号 and 文号, one row per scope and year."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class NumberSequence(Base):
    """The last number handed out in a scope (e.g. ``case:中村`` or ``doc:中村:04``) and year.

    The row is incremented inside the issuing transaction, so its lock is held until commit:
    numbers are unique and, because a rolled-back issue undoes the increment, gap-free.
    """

    __tablename__ = "number_sequences"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
