"""The months cache: a past month's counts are computed once and kept until something in the
month changes.

Every flush that changes what a month counts drops the kept months from that month on, in the
writer's transaction (``changes``); loading a calendar year drops them all. A month
whose row has no data is computed by the next request and stored only if its ``gen`` is still
the one read before computing — an invalidation committed meanwhile (or still running: it holds
the row) wins. Months over are kept whole; in a month not over (or cut by the period), the days
before today are kept one by one; today is always live.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import clock
from service.statistics.models import StatisticsMonth

log = logging.getLogger(__name__)


def ensure_rows(engine: Engine, months: list[str]) -> None:
    """Rows for ``months``, committed in a short transaction of their own (best effort)."""
    if not months:
        return
    try:
        with Session(engine) as session:
            have = set(
                session.scalars(
                    select(StatisticsMonth.period).where(StatisticsMonth.period.in_(months))
                )
            )
            session.add_all(StatisticsMonth(period=m, gen=0) for m in months if m not in have)
            session.commit()
    except SQLAlchemyError:  # another request made them meanwhile, or the database is busy
        log.info("statistics cache: rows not made this time", exc_info=True)


def read(session: Session, months: list[str]) -> dict[str, tuple[int, dict[str, Any] | None]]:
    """(gen, counts or None) of the months that have a row."""
    rows = session.execute(
        select(StatisticsMonth.period, StatisticsMonth.gen, StatisticsMonth.data).where(
            StatisticsMonth.period.in_(months)
        )
    )
    return {month: (gen, data) for month, gen, data in rows}


def store(engine: Engine, month: str, gen: int, data: dict[str, Any]) -> None:
    """Keep a month's counts unless it changed since ``gen`` was read (best effort)."""
    try:
        with Session(engine) as session:
            session.execute(
                update(StatisticsMonth)
                .where(StatisticsMonth.period == month, StatisticsMonth.gen == gen)
                .values(data=data, computed_at=clock.now())
            )
            session.commit()
    except SQLAlchemyError:
        log.info("statistics cache: %s not kept this time", month, exc_info=True)
