"""Retention classes (保管期限) and when an archive's period ends.

DA/T 22 codes: ``Y`` permanent, ``D30`` / ``D10`` 30 and 10 years, plus ``D5`` for the
five-year class the reference documents use for ordinary cases. The period runs from
1 January of the year after the case was closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from pydantic import BaseModel, Field


class RetentionClass(BaseModel):
    """One retention class: its period in years (``None``: permanent) and Chinese label."""

    years: int | None = Field(default=None, ge=1, le=100)
    label: str


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


def retain_until(expiry: date, tz: object) -> datetime:
    """The Object Lock retain-until moment for an expiry date (its midnight, office time)."""
    return datetime.combine(expiry, time(0, 0), tzinfo=tz)  # type: ignore[arg-type]
