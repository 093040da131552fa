"""The statistics of a period: every figure family read once, grouped by section, handler and
month in the database, then rolled up here into the totals and the three breakdowns.

Working days from clue to start are counted on the office's calendar through a running index
(the number of working days up to each day), so that each (clue, start) pair costs two lookups
instead of a walk.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any

from sqlalchemy.orm import Session

from doc_templates import UnknownTemplate, get_template
from service import clock
from service.calendar.service import calendar
from service.calendar.workdays import MAX_YEAR, MIN_YEAR, Calendar
from service.errors import FieldError
from service.process.limits import FLOW, STEP_LABELS, Step
from service.process.models import ActKind
from service.statistics import repository
from service.statistics.repository import Scope
from service.statistics.schemas import (
    DocumentFigures,
    Figures,
    OverdueRun,
    Slice,
    StatisticsOut,
    StepFigures,
)

WITHIN_WORKING_DAYS = 15
MAX_SPAN_DAYS = 366 * 5 + 1
Key = tuple[str, str, str]  # (section, handler, month); '' where none


@dataclass
class Tally:
    """The counts of one slice, before the rates are worked out."""

    opened: int = 0
    closed: Counter[str] = field(default_factory=Counter)
    interviews: int = 0
    acceptances: int = 0
    accepted: int = 0
    done: int = 0
    late: int = 0
    overdue_now: int = 0
    waits: Counter[int] = field(default_factory=Counter)  # working days → cases
    issued: int = 0
    voided: int = 0
    with_ledger: int = 0
    timed: int = 0
    in_time: int = 0
    surveyed: int = 0
    satisfaction: int = 0
    reviewed: int = 0
    reviewed_passed: int = 0

    def add(self, other: Tally) -> None:
        """Fold another slice's counts into this one."""
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, name, mine + theirs)


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` to four decimals, ``None`` when there is no whole."""
    return round(part / whole, 4) if whole else None


def nearest_rank(counts: Counter[int], share: float) -> int | None:
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
    return {
        "cases_opened": t.opened,
        "cases_closed": closed,
        "closed_passed": t.closed["passed"],
        "closed_penalty": t.closed["penalty"],
        "closed_other": t.closed["other"],
        "interviews_held": t.interviews,
        "acceptances": t.acceptances,
        "acceptances_passed": t.accepted,
        "rectification_pass_rate": rate(t.accepted, t.acceptances),
        "steps_done": t.done,
        "steps_done_late": t.late,
        "overdue_rate": rate(t.late, t.done),
        "steps_overdue_now": t.overdue_now,
        "clue_to_start_cases": waits,
        "clue_to_start_median_wd": nearest_rank(t.waits, 0.5),
        "clue_to_start_p90_wd": nearest_rank(t.waits, 0.9),
        "clue_to_start_within_15": within,
        "clue_to_start_within_15_share": rate(within, waits),
        "documents_issued": t.issued,
        "documents_voided": t.voided,
        "closed_with_ledger": t.with_ledger,
        "ledger_share": rate(t.with_ledger, closed),
        "archiving_timed": t.timed,
        "archived_in_time": t.in_time,
        "archived_in_time_share": rate(t.in_time, t.timed),
        "satisfaction_count": t.surveyed,
        "satisfaction_mean": round(t.satisfaction / t.surveyed, 1) if t.surveyed else None,
        "cases_reviewed": t.reviewed,
        "cases_reviewed_passed": t.reviewed_passed,
        "document_quality_rate": rate(t.reviewed_passed, t.reviewed),
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


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for (default: this year up to today), or 422 naming the field."""
    today = clock.today()
    start = start or date(today.year, 1, 1)
    end = end or today
    problems = [
        {"field": name, "message": f"{day} is outside 2004–2099", "label": label}
        for name, day, label in (("from", start, "起始日期"), ("to", end, "截止日期"))
        if not MIN_YEAR <= day.year <= MAX_YEAR
    ]
    if problems:
        raise FieldError(problems)
    if end < start:
        problems.append(
            {"field": "to", "message": f"{end} is before from {start}", "label": "截止日期"}
        )
    elif (end - start).days > MAX_SPAN_DAYS:
        problems.append(
            {"field": "to", "message": "a period spans at most five years", "label": "截止日期"}
        )
    if problems:
        raise FieldError(problems)
    return start, end


class Collector:
    """Tallies by (section, handler, month), plus the per-step and per-template counts."""

    def __init__(self) -> None:
        self.tallies: dict[Key, Tally] = defaultdict(Tally)
        self.steps: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # done, late, now
        self.templates: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # issued, voided

    def at(self, section: str | None, handler: str | None, month: str) -> Tally:
        """The tally of one group."""
        return self.tallies[(section or "", handler or "", month)]

    def rollup(self, key: Callable[[Key], Any]) -> dict[Any, Tally]:
        """The tallies folded by ``key``."""
        out: dict[Any, Tally] = defaultdict(Tally)
        for k, t in self.tallies.items():
            out[key(k)].add(t)
        return out


def collect(session: Session, scope: Scope) -> tuple[Collector, bool]:
    """Read every figure family of the scope; and whether a provisional year was counted on."""
    c = Collector()
    today, now = clock.today(), clock.now()
    repository.tune(session)
    for section, handler, month, kind, passed, n in repository.acts(session, scope):
        t = c.at(section, handler, month)
        if kind == ActKind.clue_received:
            t.opened += n
        elif kind == ActKind.interview_held:
            t.interviews += n
        else:
            t.acceptances += n
            t.accepted += n if passed else 0
    for row in repository.closed(session, scope):
        section, handler, month, outcome, n, ledger, timed, in_time, surveyed, total = row
        t = c.at(section, handler, month)
        t.closed[outcome.value if outcome else "other"] += n
        t.with_ledger += ledger
        t.timed += timed
        t.in_time += in_time
        t.surveyed += surveyed
        t.satisfaction += total
    for section, handler, month, step, late, n in repository.steps_done(session, scope):
        t = c.at(section, handler, month)
        t.done += n
        t.late += n if late else 0
        c.steps[step][0] += n
        c.steps[step][1] += n if late else 0
    for section, handler, month, step, n in repository.steps_overdue(session, scope, today, now):
        c.at(section, handler, month).overdue_now += n
        c.steps[step][2] += n
    starts = repository.starts(session, scope)
    index = WorkdayIndex(calendar(session))
    index.prepare(d for row in starts for d in (row[2], row[3]))
    for section, handler, clue_on, started_on, n in starts:
        t = c.at(section, handler, started_on.strftime("%Y-%m"))
        t.waits[index.between(clue_on, started_on)] += n
    for section, handler, month, template, n in repository.documents_issued(session, scope):
        c.at(section, handler, month).issued += n
        c.templates[template][0] += n
    since = datetime.combine(scope.start, time(), clock.LOCAL_TZ)
    until = datetime.combine(scope.end + timedelta(days=1), time(), clock.LOCAL_TZ)
    for section, handler, voided_at, template in repository.documents_voided(
        session, scope, since, until
    ):
        month = voided_at.astimezone(clock.LOCAL_TZ).strftime("%Y-%m")
        c.at(section, handler, month).voided += 1
        c.templates[template][1] += 1
    for section, handler, month, passed, n in repository.reviews(session, scope):
        t = c.at(section, handler, month)
        t.reviewed += n
        t.reviewed_passed += n if passed else 0
    return c, index.provisional


def statistics(session: Session, scope: Scope) -> StatisticsOut:
    """Every figure of the scope, in total and by section, handler and month."""
    c, provisional = collect(session, scope)
    total = Tally()
    for t in c.tallies.values():
        total.add(t)
    sections = c.rollup(lambda k: k[0])
    handlers = c.rollup(lambda k: (k[0], k[1]))
    months = c.rollup(lambda k: k[2])
    order = [f.step.value for f in FLOW]
    return StatisticsOut(
        from_=scope.start,
        to=scope.end,
        section=scope.section,
        handler=scope.handler,
        as_of=clock.today(),
        calendar_provisional=provisional,
        totals=Figures(**figures(total)),
        by_section=[Slice(key=k, **figures(t)) for k, t in sorted(sections.items())],
        by_handler=[
            Slice(key=h, section=s or None, **figures(t)) for (s, h), t in sorted(handlers.items())
        ],
        by_month=[
            Slice(key=k, **figures(t))
            for k, t in sorted(months.items())
            if f"{scope.start:%Y-%m}" <= k <= f"{scope.end:%Y-%m}"
        ],
        by_step=[
            StepFigures(
                step=step,
                label=STEP_LABELS[Step(step)],
                done=c.steps[step][0],
                done_late=c.steps[step][1],
                overdue_rate=rate(c.steps[step][1], c.steps[step][0]),
                overdue_now=c.steps[step][2],
            )
            for step in order
            if step in c.steps
        ],
        by_template=[
            DocumentFigures(
                template=code, name=_template_name(code), issued=counts[0], voided=counts[1]
            )
            for code, counts in sorted(c.templates.items())
        ],
        overdue_sections=[
            OverdueRun(section=s, overdue_in_a_row=n, first_due_on=first, last_due_on=last)
            for s, n, first, last in _longest(
                repository.overdue_runs(session, scope, clock.today())
            )
        ],
    )


def _longest(runs: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for run in runs:  # ordered by section, longest first
        if run[0] not in seen:
            seen.add(run[0])
            out.append(run)
    return out


def _template_name(code: str) -> str:
    try:
        return get_template(code).name
    except UnknownTemplate:
        return code
