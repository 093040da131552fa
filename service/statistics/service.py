"""The statistics of a period: every figure family read with a few grouped queries per month
(or day), each past month's (in a month not over, each past day's) counts kept in the cache
(``cache``) until something in it changes, then rolled up here into the totals and the
breakdowns.

Counts are gathered for the whole office and narrowed to a section or handler afterwards, so
that one cached month serves every filter. Steps overdue now are always read live.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

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
    Tally,
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
        counts = c.steps[(section or "", handler or "", step)]
        counts[0] += n
        counts[1] += n if late else 0
    starts = repository.starts(session, scope)
    index = WorkdayIndex(calendar(session))
    index.prepare(d for row in starts for d in (row[2], row[3]))
    for section, handler, clue_on, started_on, n in starts:
        t = c.at(section, handler, started_on.strftime("%Y-%m"))
        t.waits[index.between(clue_on, started_on)] += n
    c.provisional = index.provisional
    for section, handler, month, template, n in repository.documents_issued(session, scope):
        c.at(section, handler, month).issued += n
        c.templates[(section or "", handler or "", template)][0] += n
    since = datetime.combine(start, time(), clock.LOCAL_TZ)
    until = datetime.combine(end + timedelta(days=1), time(), clock.LOCAL_TZ)
    for section, handler, voided_at, template in repository.documents_voided(
        session, scope, since, until
    ):
        month = voided_at.astimezone(clock.LOCAL_TZ).strftime("%Y-%m")
        c.at(section, handler, month).voided += 1
        c.templates[(section or "", handler or "", template)][1] += 1
    for section, handler, month, passed, n in repository.reviews(session, scope):
        t = c.at(section, handler, month)
        t.reviewed += n
        t.reviewed_passed += n if passed else 0
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


def collect(session: Session, scope: Scope) -> Collector:
    """The scope's counts: kept months and days from the cache (counted and kept when
    missing), the rest live; then narrowed to the scope's section and handler."""
    today, now = clock.today(), clock.now()
    repository.tune(session)
    parts = pieces(scope.start, scope.end, today)
    keys = [key for key, _, _ in parts if key is not None]
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else None
    if engine is not None:
        cache.ensure_rows(engine, keys)
    kept = cache.read(session, keys)
    total = Collector()
    for key, first, last in parts:
        if first > today:
            continue  # nothing is dated after today (acts, documents, steps done or late)
        gen, data = kept.get(key, (0, None)) if key else (0, None)
        if data is not None:
            total.add(Collector.from_json(data))
            continue
        part = collect_range(session, first, last, today)
        if key in kept and engine is not None:
            cache.store(engine, key, gen, part.to_json())
        total.add(part)
    total.add(overdue_now(session, engine, today, now))
    return total.only(scope.section, scope.handler)


def overdue_now(session: Session, engine: Engine | None, today: date, now: datetime) -> Collector:
    """Open steps past due, by the month they fell due. Those due on a day are kept for the
    day under ``now/<today>``, which every change drops (the key sorts after every date); those
    due at a time (urgent cases, few) are counted live."""
    key = f"now/{today.isoformat()}"
    if engine is not None:
        cache.ensure_rows(engine, [key])
    gen, data = cache.read(session, [key]).get(key, (0, None))
    if data is not None:
        c = Collector.from_json(data)
    else:
        c = _overdue(session, today, now, timed=False)
        if engine is not None:
            cache.store(engine, key, gen, c.to_json())
    c.add(_overdue(session, today, now, timed=True))
    return c


def _overdue(session: Session, today: date, now: datetime, *, timed: bool) -> Collector:
    c = Collector()
    for section, handler, month, step, n in repository.steps_overdue(
        session, Scope(today, today), today, now, timed=timed
    ):
        c.at(section, handler, month).overdue_now += n
        c.steps[(section or "", handler or "", step)][2] += n
    return c


def statistics(session: Session, scope: Scope) -> StatisticsOut:
    """Every figure of the scope, in total and by section, handler and month."""
    c = collect(session, scope)
    total = Tally()
    for t in c.tallies.values():
        total.add(t)
    sections = c.rollup(lambda k: k[0])
    handlers = c.rollup(lambda k: (k[0], k[1]))
    months = c.rollup(lambda k: k[2])
    steps: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (_, _, step), counts in c.steps.items():
        steps[step] = [a + b for a, b in zip(steps[step], counts, strict=True)]
    templates: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_, _, code), counts in c.templates.items():
        templates[code] = [a + b for a, b in zip(templates[code], counts, strict=True)]
    first, last = f"{scope.start:%Y-%m}", f"{scope.end:%Y-%m}"
    return StatisticsOut(
        from_=scope.start,
        to=scope.end,
        section=scope.section,
        handler=scope.handler,
        as_of=clock.today(),
        calendar_provisional=c.provisional,
        totals=Figures(**figures(total)),
        by_section=[Slice(key=k, **figures(t)) for k, t in sorted(sections.items())],
        by_handler=[
            Slice(key=h, section=s or None, **figures(t)) for (s, h), t in sorted(handlers.items())
        ],
        by_month=[
            Slice(key=k, **figures(t)) for k, t in sorted(months.items()) if first <= k <= last
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
