"""Retention classes (保管期限) and when an archive's period ends.

DA/T 22 codes: ``Y`` permanent, ``D30`` / ``D10`` 30 and 10 years, plus ``D5`` for the
five-year class the reference documents use for ordinary cases. The period runs from
1 January of the year after the case was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from pydantic import BaseModel, Field


class RetentionClass(BaseModel):
    """One retention class: its period in years (``None``: permanent) and Chinese label.

    ``seconds`` replaces ``years`` in tests only (refused in production), so that expiry can
    be exercised against a real Object Lock store; such a period runs from archiving.
    """

    years: int | None = Field(default=None, ge=1, le=100)
    seconds: int | None = Field(default=None, ge=1, le=3600)
    label: str

    @property
    def permanent(self) -> bool:
        """True for a class that never expires."""
        return self.years is None and self.seconds is None


DEFAULT_CLASSES: dict[str, RetentionClass] = {
    "D5": RetentionClass(years=5, label="5年"),
    "D10": RetentionClass(years=10, label="10年"),
    "D30": RetentionClass(years=30, label="30年"),
    "Y": RetentionClass(years=None, label="永久"),
}


@dataclass(frozen=True)
class CaseFlags:
    """The case facts that choose a class."""

    major: bool
    livelihood: bool


def class_for(flags: CaseFlags) -> str:
    """Livelihood-protection cases are kept permanently, major ones 10 years, others 5."""
    if flags.livelihood:
        return "Y"
    return "D10" if flags.major else "D5"


def expires_on(closed_on: date, cls: RetentionClass) -> date | None:
    """First day after the period (1 January of closure year + 1 + years); ``None`` if permanent."""
    if cls.years is None:
        return None
    return date(closed_on.year + 1 + cls.years, 1, 1)


def retain_until(expiry: date, tz: tzinfo) -> datetime:
    """The Object Lock retain-until moment for an expiry date (its midnight, office time)."""
    return datetime.combine(expiry, time(0, 0), tzinfo=tz)


def lock_period(
    closed_on: date, cls: RetentionClass, now: datetime, tz: tzinfo
) -> tuple[date | None, datetime | None]:
    """Expiry date and retain-until moment of a dossier archived ``now`` (both None: permanent)."""
    if cls.seconds is not None:
        until = now + timedelta(seconds=cls.seconds)
        return until.astimezone(tz).date(), until
    expiry = expires_on(closed_on, cls)
    return expiry, retain_until(expiry, tz) if expiry else None
