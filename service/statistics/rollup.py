"""The counts of a stretch of time folded the ways the statistics show them — in total, by
section, by handler, by month, by step and by template, with the late runs by section — for
one filter (a section, a handler, both or neither).

A request's figures are the sum of its pieces' rollups, in the order of the pieces (late runs
join across them); a kept piece's rollup for a filter is made once per process
(``Piece.rolled``), so that a year's figures cost a few dozen small folds, not the thousands of
slices its months hold.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from service.statistics.runs import Summary
from service.statistics.tally import Collector, Tally

Filter = tuple[str | None, str | None]  # (section, handler)
FILTERS_KEPT = 64  # rollups a piece keeps (the office's sections and handlers, and all)


def _plus(mine: list[int], theirs: list[int]) -> list[int]:
    return [a + b for a, b in zip(mine, theirs, strict=True)]


class Rollup:
    """Tallies in total and by section, (section, handler) and month; steps (done, late,
    overdue now) by step; documents (issued, voided) by template; late runs by section."""

    def __init__(self) -> None:
        self.total = Tally()
        self.sections: dict[str, Tally] = defaultdict(Tally)
        self.handlers: dict[tuple[str, str], Tally] = defaultdict(Tally)
        self.months: dict[str, Tally] = defaultdict(Tally)
        self.steps: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.templates: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.runs: dict[str, Summary] = {}
        self.provisional = False

    @classmethod
    def of(cls, counts: Collector) -> Rollup:
        """The rollup of a collector's counts (already narrowed to the filter)."""
        out = cls()
        for (section, handler, month), t in counts.tallies.items():
            out.handlers[(section, handler)].add(t)
            out.months[month].add(t)
        for (section, _), t in out.handlers.items():  # sections and total from the handlers
            out.sections[section].add(t)
        for t in out.sections.values():
            out.total.add(t)
        for (_, _, step), values in counts.steps.items():
            out.steps[step] = _plus(out.steps[step], values)
        for (_, _, code), values in counts.templates.items():
            out.templates[code] = _plus(out.templates[code], values)
        out.runs = dict(counts.runs)
        out.provisional = counts.provisional
        return out

    def add(self, later: Rollup) -> None:
        """Fold in the rollup of a later stretch of time."""
        self.total.add(later.total)
        for mine, theirs in (
            (self.sections, later.sections),
            (self.months, later.months),
        ):
            for key, t in theirs.items():
                mine[key].add(t)
        for pair, t in later.handlers.items():
            self.handlers[pair].add(t)
        for step, values in later.steps.items():
            self.steps[step] = _plus(self.steps[step], values)
        for code, values in later.templates.items():
            self.templates[code] = _plus(self.templates[code], values)
        for section, summary in later.runs.items():
            self.runs[section] = self.runs.get(section, Summary()).then(summary)
        self.provisional |= later.provisional


class Piece:
    """The counts of one stretch of time and their rollups by filter, each made once. Read by
    the threads of a process; neither is changed once made."""

    def __init__(self, counts: Collector) -> None:
        self.counts = counts
        self._rolled: dict[Filter, Rollup] = {}
        self._lock = threading.Lock()

    def rolled(self, section: str | None, handler: str | None) -> Rollup:
        """The rollup of the counts of ``section`` and/or ``handler`` (``None``: all)."""
        key = (section, handler)
        found = self._rolled.get(key)
        if found is None:
            found = Rollup.of(self.counts.only(section, handler))
            with self._lock:
                if len(self._rolled) >= FILTERS_KEPT:
                    self._rolled.clear()
                found = self._rolled.setdefault(key, found)
        return found
