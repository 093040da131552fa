"""The counts behind the figures, by section, handler and month, before the rates are worked
out; mergeable (a period's counts are the sum of its months'), and kept as JSON for the months
cache."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from math import ceil
from typing import Any, Literal, TypeVar

from service.calendar.workdays import Calendar
from service.statistics.runs import Summary, dump, load

WITHIN_WORKING_DAYS = 15
Key = tuple[str, str, str]  # (section, handler, month); '' where none
K = TypeVar("K")


Count = Literal[
    "opened",
    "interviews",
    "acceptances",
    "accepted",
    "done",
    "late",
    "overdue_now",
    "issued",
    "voided",
    "with_ledger",
    "timed",
    "in_time",
    "surveyed",
    "satisfaction",
    "reviewed",
    "reviewed_passed",
]


class Tally:
    """The counts of one slice, before the rates are worked out: plain counts by name (only
    those not zero are held, so that folding thousands of slices costs what they hold), cases
    closed by outcome, and clue-to-start waits (working days → cases)."""

    __slots__ = ("closed", "counts", "waits")

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.closed: dict[str, int] = {}
        self.waits: dict[int, int] = {}

    def __getitem__(self, name: Count) -> int:
        return self.counts.get(name, 0)

    def bump(self, name: Count, n: int) -> None:
        """Add ``n`` to the count ``name``."""
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    def add(self, other: Tally) -> None:
        """Fold another slice's counts into this one."""
        _fold(self.counts, other.counts)
        if other.closed:
            _fold(self.closed, other.closed)
        if other.waits:
            _fold(self.waits, other.waits)


def _fold(mine: dict[K, int], theirs: dict[K, int]) -> None:
    for key, n in theirs.items():
        mine[key] = mine.get(key, 0) + n


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` to four decimals, ``None`` when there is no whole."""
    return round(part / whole, 4) if whole else None


def nearest_rank(counts: dict[int, int], share: float) -> int | None:
    """The smallest value with at least ``share`` of the values at or below it."""
    total = sum(counts.values())
    if not total:
        return None
    rank, seen = ceil(share * total), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)  # pragma: no cover - rank <= total


def figures(t: Tally) -> dict[str, Any]:
    """The figures of a tally."""
    closed = sum(t.closed.values())
    waits = sum(t.waits.values())
    within = sum(n for days, n in t.waits.items() if days <= WITHIN_WORKING_DAYS)
    surveyed = t["surveyed"]
    return {
        "cases_opened": t["opened"],
        "cases_closed": closed,
        "closed_passed": t.closed.get("passed", 0),
        "closed_penalty": t.closed.get("penalty", 0),
        "closed_other": t.closed.get("other", 0),
        "interviews_held": t["interviews"],
        "acceptances": t["acceptances"],
        "acceptances_passed": t["accepted"],
        "rectification_pass_rate": rate(t["accepted"], t["acceptances"]),
        "steps_done": t["done"],
        "steps_done_late": t["late"],
        "overdue_rate": rate(t["late"], t["done"]),
        "steps_overdue_now": t["overdue_now"],
        "clue_to_start_cases": waits,
        "clue_to_start_median_wd": nearest_rank(t.waits, 0.5),
        "clue_to_start_p90_wd": nearest_rank(t.waits, 0.9),
        "clue_to_start_within_15": within,
        "clue_to_start_within_15_share": rate(within, waits),
        "documents_issued": t["issued"],
        "documents_voided": t["voided"],
        "closed_with_ledger": t["with_ledger"],
        "ledger_share": rate(t["with_ledger"], closed),
        "archiving_timed": t["timed"],
        "archived_in_time": t["in_time"],
        "archived_in_time_share": rate(t["in_time"], t["timed"]),
        "satisfaction_count": surveyed,
        "satisfaction_mean": round(t["satisfaction"] / surveyed, 1) if surveyed else None,
        "cases_reviewed": t["reviewed"],
        "cases_reviewed_passed": t["reviewed_passed"],
        "document_quality_rate": rate(t["reviewed_passed"], t["reviewed"]),
    }


class WorkdayIndex:
    """Working days counted from a fixed day, so that the working days after ``a`` up to and
    including ``b`` are ``index(b) - index(a)``."""

    def __init__(self, cal: Calendar) -> None:
        self.cal = cal
        self.origin: date | None = None
        self.counts: list[int] = []
        self.provisional = False

    def _extend(self, low: date, high: date) -> None:
        if self.origin is None or low < self.origin:
            self.origin, self.counts = low, []
        assert self.origin is not None
        day = self.origin + timedelta(days=len(self.counts))
        running = self.counts[-1] if self.counts else 0
        while day <= high:
            schedule = self.cal.year(day.year)
            self.provisional |= schedule.provisional
            running += schedule.is_working_day(day)
            self.counts.append(running)
            day += timedelta(days=1)

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if earlier)."""
        assert self.origin is not None
        return self.counts[(end - self.origin).days] - self.counts[(start - self.origin).days]

    def prepare(self, days: Iterable[date]) -> None:
        """Make every one of ``days`` answerable."""
        listed = list(days)
        if listed:
            self._extend(min(listed), max(listed))


class Collector:
    """Tallies by (section, handler, month); steps (done, late, overdue now) and documents
    (issued, voided) by (section, handler, step or template); late runs by section."""

    def __init__(self) -> None:
        self.tallies: dict[Key, Tally] = defaultdict(Tally)
        self.steps: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.templates: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        self.runs: dict[str, Summary] = {}
        self.provisional = False

    def at(self, section: str | None, handler: str | None, month: str) -> Tally:
        """The tally of one group."""
        return self.tallies[(section or "", handler or "", month)]

    def add(self, later: Collector) -> None:
        """Fold in the counts of a later stretch of time."""
        for key, t in later.tallies.items():
            self.tallies[key].add(t)
        for key, counts in later.steps.items():
            self.steps[key] = [a + b for a, b in zip(self.steps[key], counts, strict=True)]
        for key, counts in later.templates.items():
            self.templates[key] = [a + b for a, b in zip(self.templates[key], counts, strict=True)]
        for section, summary in later.runs.items():
            self.runs[section] = self.runs.get(section, Summary()).then(summary)
        self.provisional |= later.provisional

    def only(self, section: str | None, handler: str | None) -> Collector:
        """The counts of one section and/or handler (late runs: of the section)."""
        out = Collector()

        def keep(k: Key) -> bool:
            return (section is None or k[0] == section) and (handler is None or k[1] == handler)

        out.tallies.update({k: t for k, t in self.tallies.items() if keep(k)})
        out.steps.update({k: v for k, v in self.steps.items() if keep(k)})
        out.templates.update({k: v for k, v in self.templates.items() if keep(k)})
        out.runs = {s: r for s, r in self.runs.items() if section is None or s == section}
        out.provisional = self.provisional
        return out

    def to_json(self) -> dict[str, Any]:
        """For the months cache."""
        return {
            "tallies": [[*k, _tally_json(t)] for k, t in self.tallies.items()],
            "steps": [[*k, *v] for k, v in self.steps.items()],
            "templates": [[*k, *v] for k, v in self.templates.items()],
            "runs": {s: dump(r) for s, r in self.runs.items()},
            "provisional": self.provisional,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Collector:
        """The collector ``to_json`` wrote."""
        c = cls()
        for s, h, m, t in data["tallies"]:
            c.tallies[(s, h, m)] = _tally(t)
        for s, h, k, *v in data["steps"]:
            c.steps[(s, h, k)] = list(v)
        for s, h, k, *v in data["templates"]:
            c.templates[(s, h, k)] = list(v)
        c.runs = {s: load(r) for s, r in data["runs"].items()}
        c.provisional = bool(data["provisional"])
        return c


def _tally_json(t: Tally) -> dict[str, Any]:
    out: dict[str, Any] = dict(t.counts)
    if t.closed:
        out["closed"] = t.closed
    if t.waits:
        out["waits"] = {str(k): v for k, v in t.waits.items()}
    return out


def _tally(data: dict[str, Any]) -> Tally:
    t = Tally()
    for name, value in data.items():
        if name == "waits":
            t.waits = {int(k): v for k, v in value.items()}
        elif name == "closed":
            t.closed = dict(value)
        else:
            t.counts[name] = value
    return t


def month_range(start: date, end: date) -> list[tuple[str, date, date]]:
    """The months from ``start`` to ``end``: (YYYY-MM, first day, last day), clipped to them."""
    out = []
    first = start.replace(day=1)
    while first <= end:
        nxt = (first + timedelta(days=32)).replace(day=1)
        out.append((f"{first:%Y-%m}", max(first, start), min(nxt - timedelta(days=1), end)))
        first = nxt
    return out
