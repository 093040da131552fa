"""One clock for the whole service, so tests can move time (retention, numbering years)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return _now()


def today() -> date:
    """The current date in the office's time zone (numbering years and document dates)."""
    return now().astimezone(LOCAL_TZ).date()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the system clock."""
    global _now
    _now = fn if fn is not None else (lambda: datetime.now(UTC))
