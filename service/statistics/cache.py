"""The months cache: a past month's counts are computed once and kept until something in the
month changes.

Every flush that changes what a month counts drops the kept months from that month on, in the
writer's transaction (``changes``); loading a calendar year drops them all. A month
whose row has no data is computed by the next request and stored only if its ``gen`` is still
the one read before computing — an invalidation committed meanwhile (or still running: it holds
the row) wins. Months over are kept whole; in a month not over (or cut by the period), the days
before today are kept one by one; today is always live.

Each kept row carries the digest of its counts. A process keeps the counts it has decoded
by that digest (a few hundred at most): a request reads the periods' digests, and fetches and
decodes only the counts this process has not seen. The digest names the content, not the row,
so a decoded month can never stand for another database's or another generation's counts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import clock
from service.statistics.models import StatisticsMonth
from service.statistics.rollup import Piece
from service.statistics.tally import Collector

log = logging.getLogger(__name__)

DECODED_KEPT = 512


class _Decoded:
    """Decoded counts (and their rollups) by digest, least recently used dropped first;
    shared by the threads of a process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Piece] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, digest: str) -> Piece | None:
        with self.lock:
            found = self.items.get(digest)
            if found is not None:
                self.items.move_to_end(digest)
            return found

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def put(self, digest: str, piece: Piece) -> None:
        with self.lock:
            self.items[digest] = piece
            self.items.move_to_end(digest)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


decoded = _Decoded(DECODED_KEPT)


def digest_of(data: dict[str, Any]) -> str:
    """The digest of counts as JSON (keys sorted, so equal counts have equal digests)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


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


def read(session: Session, months: list[str]) -> dict[str, tuple[int, Piece | None]]:
    """(gen, kept counts or None) of the months that have a row."""
    if not months:
        return {}
    rows = session.execute(
        select(StatisticsMonth.period, StatisticsMonth.gen, StatisticsMonth.digest).where(
            StatisticsMonth.period.in_(months)
        )
    ).all()
    out: dict[str, tuple[int, Piece | None]] = {}
    missing: dict[str, tuple[int, str]] = {}
    for month, gen, digest in rows:
        piece = decoded.get(digest) if digest else None
        out[month] = (gen, piece)
        if digest and piece is None:
            missing[month] = (gen, digest)
    if missing:
        fetched = session.execute(
            select(StatisticsMonth.period, StatisticsMonth.digest, StatisticsMonth.data).where(
                StatisticsMonth.period.in_(missing)
            )
        )
        for month, digest, data in fetched:
            if data is None or digest != missing[month][1]:
                continue  # dropped (or recounted) since the digests were read: count it live
            piece = Piece(Collector.from_json(data))
            decoded.put(digest, piece)
            out[month] = (missing[month][0], piece)
    return out


def store(engine: Engine, month: str, gen: int, piece: Piece) -> None:
    """Keep a month's counts unless it changed since ``gen`` was read (best effort)."""
    data = piece.counts.to_json()
    digest = digest_of(data)
    try:
        with Session(engine) as session:
            session.execute(
                update(StatisticsMonth)
                .where(StatisticsMonth.period == month, StatisticsMonth.gen == gen)
                .values(data=data, digest=digest, computed_at=clock.now())
            )
            session.commit()
    except SQLAlchemyError:
        log.info("statistics cache: %s not kept this time", month, exc_info=True)
        return
    decoded.put(digest, piece)
