"""The years whose schedule the office has loaded (the State Council's notice, as published)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class CalendarYear(Base):
    """One loaded year: it overrides chinesecalendar and the provisional rule for that year.

    Dates are stored as ISO strings (JSON has no date type). ``version`` is new and random on
    every load, so that each process can tell cheaply whether its cached copy is current.
    """

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[str]] = mapped_column(JSON)
    workdays: Mapped[list[str]] = mapped_column(JSON)
    notice: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(32))
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    loaded_by: Mapped[str] = mapped_column(String(128))
