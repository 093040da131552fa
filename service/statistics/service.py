"""The statistics of a period: every figure family read with a few grouped queries per month
(or day), each past month's (in a month not over, each past day's) counts kept in the cache
(``cache``) until something in it changes, then rolled up here into the totals and the
breakdowns.

Counts are gathered for the whole office and narrowed to a section or handler afterwards, so
that one cached month serves every filter. Steps overdue now are always read live.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from doc_templates import UnknownTemplate, get_template
from service import clock
from service.calendar.service import calendar
from service.calendar.workdays import MAX_YEAR, MIN_YEAR
from service.errors import FieldError
from service.process.limits import FLOW, STEP_LABELS
from service.process.models import ActKind
from service.statistics import cache, repository
from service.statistics.repository import Scope
from service.statistics.rollup import Piece, Rollup
from service.statistics.runs import summaries
from service.statistics.schemas import (
    DocumentFigures,
    Figures,
    OverdueRun,
    Slice,
    StatisticsOut,
    StepFigures,
)
from service.statistics.tally import (
    Collector,
    WorkdayIndex,
    figures,
    month_range,
    rate,
)

MAX_SPAN_DAYS = 366 * 5 + 1
IN_A_ROW = 3


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


def collect_range(session: Session, start: date, end: date, today: date) -> Collector:
    """The whole office's counts of the days from ``start`` to ``end`` (overdue-now aside)."""
    scope = Scope(start, end)
    c = Collector()
    for section, handler, month, kind, passed, n in repository.acts(session, scope):
        t = c.at(section, handler, month)
        if kind == ActKind.clue_received:
            t.bump("opened", n)
        elif kind == ActKind.interview_held:
            t.bump("interviews", n)
        else:
            t.bump("acceptances", n)
            t.bump("accepted", n if passed else 0)
    for row in repository.closed(session, scope):
        section, handler, month, outcome, n, ledger, timed, in_time, surveyed, total = row
        t = c.at(section, handler, month)
        closed_as = outcome.value if outcome else "other"
        t.closed[closed_as] = t.closed.get(closed_as, 0) + n
        t.bump("with_ledger", ledger)
        t.bump("timed", timed)
        t.bump("in_time", in_time)
        t.bump("surveyed", surveyed)
        t.bump("satisfaction", total)
    for section, handler, month, step, late, n in repository.steps_done(session, scope):
        t = c.at(section, handler, month)
        t.bump("done", n)
        t.bump("late", n if late else 0)
        counts = c.steps[(section or "", handler or "", step)]
        counts[0] += n
        counts[1] += n if late else 0
    starts = repository.starts(session, scope)
    index = WorkdayIndex(calendar(session))
    index.prepare(d for row in starts for d in (row[2], row[3]))
    for section, handler, clue_on, started_on, n in starts:
        t = c.at(section, handler, started_on.strftime("%Y-%m"))
        days = index.between(clue_on, started_on)
        t.waits[days] = t.waits.get(days, 0) + n
    c.provisional = index.provisional
    for section, handler, month, template, n in repository.documents_issued(session, scope):
        c.at(section, handler, month).bump("issued", n)
        c.templates[(section or "", handler or "", template)][0] += n
    since = datetime.combine(start, time(), clock.LOCAL_TZ)
    until = datetime.combine(end + timedelta(days=1), time(), clock.LOCAL_TZ)
    for section, handler, voided_at, template in repository.documents_voided(
        session, scope, since, until
    ):
        month = voided_at.astimezone(clock.LOCAL_TZ).strftime("%Y-%m")
        c.at(section, handler, month).bump("voided", 1)
        c.templates[(section or "", handler or "", template)][1] += 1
    for section, handler, month, passed, n in repository.reviews(session, scope):
        t = c.at(section, handler, month)
        t.bump("reviewed", n)
        t.bump("reviewed_passed", n if passed else 0)
    c.runs = summaries(repository.late_islands(session, scope, today))
    return c


def pieces(start: date, end: date, today: date) -> list[tuple[str | None, date, date]]:
    """The period cut into what can be kept — (key, first day, last day): whole months over
    (``YYYY-MM``); in the month not over, its days up to yesterday (``YYYY-MM-DD~``, the last
    day's date) — and what cannot (key ``None``: today on, or a month the period cuts).

    A change drops a key when it touches a day the key covers (keys compare as text: the
    month's own key, and every key from the changed date's ``YYYY-MM-DD`` on)."""
    out: list[tuple[str | None, date, date]] = []
    for month, first, last in month_range(start, end):
        starts = first.day == 1
        whole = starts and (last + timedelta(days=1)).day == 1
        if whole and last < today:
            out.append((month, first, last))
        elif starts and first < today:
            yesterday = min(last, today - timedelta(days=1))
            out.append((f"{yesterday.isoformat()}~", first, yesterday))
            if yesterday < last:
                out.append((None, yesterday + timedelta(days=1), last))
        else:
            out.append((None, first, last))
    return out


def collect(session: Session, scope: Scope) -> Rollup:
    """The scope's counts, rolled up: kept months and days from the cache (counted and kept
    when missing), the rest live; each narrowed to the scope's section and handler."""
    today, now = clock.today(), clock.now()
    repository.tune(session)
    parts = pieces(scope.start, scope.end, today)
    overdue_key = f"now/{today.isoformat()}"
    keys = [key for key, _, _ in parts if key is not None] + [overdue_key]
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else None
    if engine is not None:
        cache.ensure_rows(engine, keys)
    kept = cache.read(session, keys)
    counted = [
        _kept_or_counted(engine, kept, key, partial(collect_range, session, first, last, today))
        for key, first, last in parts
        if first <= today  # nothing is dated after today (acts, documents, steps done or late)
    ]
    # open steps past due: those due on a day are kept for the day under ``now/<today>``,
    # which every change drops (the key sorts after every date); those due at a time (urgent
    # cases, few) are counted live
    counted.append(
        _kept_or_counted(
            engine, kept, overdue_key, partial(_overdue, session, today, now, timed=False)
        )
    )
    counted.append(Piece(_overdue(session, today, now, timed=True)))
    total = Rollup()
    for piece in counted:
        total.add(piece.rolled(scope.section, scope.handler))
    return total


def _kept_or_counted(
    engine: Engine | None,
    kept: dict[str, tuple[int, Piece | None]],
    key: str | None,
    count: Callable[[], Collector],
) -> Piece:
    """The kept counts of ``key``, or counted now (and kept, when ``key`` has a row)."""
    gen, piece = kept.get(key, (0, None)) if key else (0, None)
    if piece is not None:
        return piece
    piece = Piece(count())
    if key in kept and engine is not None:
        cache.store(engine, key, gen, piece)
    return piece


def _overdue(session: Session, today: date, now: datetime, *, timed: bool) -> Collector:
    c = Collector()
    for section, handler, month, step, n in repository.steps_overdue(
        session, Scope(today, today), today, now, timed=timed
    ):
        c.at(section, handler, month).bump("overdue_now", n)
        c.steps[(section or "", handler or "", step)][2] += n
    return c


def statistics(session: Session, scope: Scope) -> StatisticsOut:
    """Every figure of the scope, in total and by section, handler and month."""
    c = collect(session, scope)
    steps, templates = c.steps, c.templates
    first, last = f"{scope.start:%Y-%m}", f"{scope.end:%Y-%m}"
    return StatisticsOut(
        from_=scope.start,
        to=scope.end,
        section=scope.section,
        handler=scope.handler,
        as_of=clock.today(),
        calendar_provisional=c.provisional,
        totals=Figures(**figures(c.total)),
        by_section=[Slice(key=k, **figures(t)) for k, t in sorted(c.sections.items())],
        by_handler=[
            Slice(key=h, section=s or None, **figures(t))
            for (s, h), t in sorted(c.handlers.items())
        ],
        by_month=[
            Slice(key=k, **figures(t)) for k, t in sorted(c.months.items()) if first <= k <= last
        ],
        by_step=[
            StepFigures(
                step=f.step.value,
                label=STEP_LABELS[f.step],
                done=steps[f.step.value][0],
                done_late=steps[f.step.value][1],
                overdue_rate=rate(steps[f.step.value][1], steps[f.step.value][0]),
                overdue_now=steps[f.step.value][2],
            )
            for f in FLOW
            if f.step.value in steps
        ],
        by_template=[
            DocumentFigures(
                template=code, name=_template_name(code), issued=counts[0], voided=counts[1]
            )
            for code, counts in sorted(templates.items())
        ],
        overdue_sections=[
            OverdueRun(
                section=section,
                overdue_in_a_row=run.best.n,
                first_due_on=run.best.first,
                last_due_on=run.best.last,
            )
            for section, run in sorted(c.runs.items())
            if run.best.n >= IN_A_ROW and run.best.first and run.best.last
        ],
    )


def _template_name(code: str) -> str:
    try:
        return get_template(code).name
    except UnknownTemplate:
        return code
