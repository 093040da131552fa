"""连续超期: the longest run of late steps per section, summarised so that periods can be
joined — a month's summary (its length, the late run it starts with, the one it ends with, its
longest) merged with the next month's gives the two months' summary, so that cached months and
live ones add up to the same answer as one pass over the whole period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Run:
    """Consecutive late steps: how many, the first's and the last's due dates."""

    n: int = 0
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class Summary:
    """A section's steps over a stretch of time, as far as late runs go."""

    total: int = 0
    prefix: Run = Run()
    suffix: Run = Run()
    best: Run = Run()

    def then(self, later: Summary) -> Summary:
        """This stretch followed by ``later``."""
        bridge = Run(
            self.suffix.n + later.prefix.n,
            self.suffix.first or later.prefix.first,
            later.prefix.last or self.suffix.last,
        )
        all_late = self.prefix.n == self.total
        later_all_late = later.prefix.n == later.total
        best = max((self.best, bridge, later.best), key=lambda r: r.n)  # the earliest on ties
        return Summary(
            self.total + later.total,
            bridge if all_late else self.prefix,
            bridge if later_all_late else later.suffix,
            best,
        )


def summaries(islands: list[Any]) -> dict[str, Summary]:
    """Per section, from the islands of ``repository.late_islands`` (in row order)."""
    by_section: dict[str, list[Any]] = {}
    for island in islands:
        by_section.setdefault(island[0], []).append(island)
    out = {}
    for section, rows in by_section.items():
        total = max(r[3] for r in rows)
        late = [Run(r[3] - r[2] + 1, r[4], r[5]) for r in rows if r[1]]
        first, last = rows[0], rows[-1]
        out[section] = Summary(
            total,
            Run(first[3] - first[2] + 1, first[4], first[5]) if first[1] else Run(),
            Run(last[3] - last[2] + 1, last[4], last[5]) if last[1] else Run(),
            max(late, key=lambda r: r.n, default=Run()),
        )
    return out


def dump(summary: Summary) -> list[Any]:
    """JSON for the month cache."""
    return [
        summary.total,
        *(
            [
                run.n,
                run.first.isoformat() if run.first else None,
                run.last.isoformat() if run.last else None,
            ]
            for run in (summary.prefix, summary.suffix, summary.best)
        ),
    ]


def load(data: list[Any]) -> Summary:
    """The summary ``dump`` wrote."""

    def run(item: list[Any]) -> Run:
        n, first, last = item
        return Run(
            n,
            date.fromisoformat(first) if first else None,
            date.fromisoformat(last) if last else None,
        )

    return Summary(data[0], run(data[1]), run(data[2]), run(data[3]))
