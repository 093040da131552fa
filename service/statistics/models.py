"""The months cache of the statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class StatisticsMonth(Base):
    """One past month's (or, in a month not over, one past day's) counts
    (``service.statistics.tally.Collector`` as JSON), or none when something in it changed
    since; ``gen`` moves on at every change, so that counts computed before a change are never
    stored after it; ``digest`` names the counts, for the processes that decoded them before."""

    __tablename__ = "statistics_months"

    # YYYY-MM, YYYY-MM-DD, or now/YYYY-MM-DD (the steps overdue on a day)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    gen: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest: Mapped[str | None] = mapped_column(String(64))  # sha256 of ``data``
    computed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
