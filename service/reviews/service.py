"""Case-file review (案卷评查) and revisit (回访) draws, scoring, and revisit outcomes.

A draw is reproducible: its seed is derived from the agency, the kind and the period, and it
records the population it drew from (the cases closed in the period that no earlier draw of the
kind took, ascending), so ``random.Random(int(seed, 16)).sample(population, size)`` redoes it.
Asked again, the recorded draw is returned; a case is drawn at most once per kind.
"""

from __future__ import annotations

import calendar as months
import hashlib
import random
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.audit.service import Actor, record
from service.config import Settings
from service.errors import Conflict, FieldError, NotFound
from service.locks import lock_key
from service.reviews import repository
from service.reviews.models import DrawKind, ReviewDraw, ReviewSample
from service.reviews.schemas import RevisitIn, ScoreIn
from service.webhooks.service import publish


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``."""
    year, m = (int(p) for p in month.split("-"))
    return date(year, m, 1), date(year, m, months.monthrange(year, m)[1])


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """First and last day of ``YYYYQn``."""
    year, q = int(quarter[:4]), int(quarter[5])
    last = 3 * q
    return date(year, last - 2, 1), date(year, last, months.monthrange(year, last)[1])


def seed_for(agency: str, kind: DrawKind, period: str) -> str:
    """The draw's seed: nobody picks it, everybody can recompute it."""
    return hashlib.sha256(f"anjuan/{agency}/{kind.value}/{period}".encode()).hexdigest()[:16]


def sample_size(population: int, share: float) -> int:
    """``ceil(share × population)``, in decimal (0.15 × 20 is 3, not 3.0000000000000004)."""
    exact = Decimal(str(share)) * population
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def pick(population: list[int], size: int, seed: str) -> list[int]:
    """The cases drawn, in the order drawn."""
    return random.Random(int(seed, 16)).sample(population, size)


def draw(
    session: Session, settings: Settings, actor: Actor, kind: DrawKind, period: str
) -> tuple[ReviewDraw, bool]:
    """The draw of ``kind`` for ``period`` (``YYYY-MM`` for a review, ``YYYYQn`` for a
    revisit), made now unless made before; and whether it was made now."""
    existing = repository.draw_of(session, kind, period)
    if existing is not None:
        return existing, False
    start, end = month_bounds(period) if kind == DrawKind.review else quarter_bounds(period)
    if end >= clock.today():
        raise Conflict(f"{period} is not over yet: its cases are drawn once it is")
    lock_key(session, "review-draw", kind.value, period)
    existing = repository.draw_of(session, kind, period)
    if existing is not None:
        return existing, False
    closed = repository.closed_between(session, start, end)
    taken = repository.already_drawn(session, kind, closed)
    population = [i for i in closed if i not in taken]
    share = settings.review_share if kind == DrawKind.review else settings.revisit_share
    seed = seed_for(settings.agency_code, kind, period)
    chosen = pick(population, sample_size(len(population), share), seed)
    made = ReviewDraw(
        kind=kind,
        period=period,
        share=share,
        seed=seed,
        population=population,
        drawn_at=clock.now(),
        drawn_by=actor.principal.label,
    )
    session.add(made)
    session.flush()
    for position, case_id in enumerate(chosen, start=1):
        session.add(ReviewSample(draw_id=made.id, kind=kind, case_id=case_id, position=position))
    session.flush()
    record(
        session,
        actor,
        f"{kind.value}.draw",
        "review_draw",
        made.id,
        {"period": period, "seed": seed, "population": len(population), "drawn": chosen},
    )
    return made, True


def _sample(session: Session, sample_id: int, kind: DrawKind) -> ReviewSample:
    found = repository.sample(session, sample_id, for_update=True)
    if found is None or found.kind != kind:
        raise NotFound(f"{kind.value} sample {sample_id} not found")
    return found


def score(
    session: Session, settings: Settings, actor: Actor, sample_id: int, body: ScoreIn
) -> ReviewSample:
    """Score a sampled case file against the checklist: every item once, at most its points.
    A file below the pass mark gets its findings attached and its handler notified."""
    sample = _sample(session, sample_id, DrawKind.review)
    if sample.score is not None:
        raise Conflict(f"sample {sample_id} was scored on {sample.reviewed_on}")
    checklist = {item.code: item for item in settings.review_checklist}
    given = {item.code: item for item in body.items}
    problems: list[dict[str, Any]] = []
    for i, item in enumerate(body.items):
        known = checklist.get(item.code)
        if known is None:
            problems.append(_problem(i, "code", f"{item.code!r} is not a checklist item"))
        elif item.awarded > known.points:
            problems.append(
                _problem(i, "awarded", f"{item.awarded} is more than {known.points} points")
            )
    if len(given) != len(body.items):
        problems.append(
            {"field": "items", "message": "an item is scored twice", "label": "评查项目"}
        )
    missing = [code for code in checklist if code not in given]
    if missing:
        problems.append(
            {"field": "items", "message": f"not scored: {', '.join(missing)}", "label": "评查项目"}
        )
    case = repository.case_of(session, sample)
    total = sum(item.awarded for item in body.items)
    passed = total >= settings.review_pass_mark
    if not passed and not body.findings:
        problems.append(
            {
                "field": "findings",
                "message": "a file below the pass mark needs its findings",
                "label": "评查结论",
            }
        )
    if problems:
        raise FieldError(problems)
    sample.items = [
        {
            "code": code,
            "label": item.label,
            "points": item.points,
            "awarded": given[code].awarded,
            "note": given[code].note,
        }
        for code, item in checklist.items()
    ]
    sample.score, sample.pass_mark, sample.passed = total, settings.review_pass_mark, passed
    sample.findings = body.findings
    sample.reviewed_on, sample.reviewed_at = clock.today(), clock.now()
    sample.reviewed_by = actor.principal.label
    session.flush()
    record(
        session,
        actor,
        "review.score",
        "case",
        case.id,
        {"sample_id": sample.id, "score": total, "pass_mark": sample.pass_mark, "passed": passed},
    )
    if not passed:
        # The handler's notice: an audited event naming them, with the findings, and the
        # ``review.failed`` webhook to the systems that subscribed (the case system that tells
        # the handler), in the same transaction.
        notice = {
            "case_id": case.id,
            "case_no": case.case_no,
            "handler": case.handler,
            "section": case.section,
            "score": total,
            "pass_mark": sample.pass_mark,
            "findings": body.findings,
        }
        record(session, actor, "review.notify_handler", "case", case.id, notice)
        publish(session, "review.failed", notice)
    return sample


def _problem(index: int, field: str, message: str) -> dict[str, Any]:
    return {"field": f"items.{index}.{field}", "message": message, "label": "评查项目"}


def revisit(session: Session, actor: Actor, sample_id: int, body: RevisitIn) -> ReviewSample:
    """Record what a revisit of a drawn case found."""
    sample = _sample(session, sample_id, DrawKind.revisit)
    if body.on > clock.today():
        raise FieldError(
            [{"field": "on", "message": f"{body.on} is in the future", "label": "回访日期"}]
        )
    if sample.revisited_on is not None:
        raise Conflict(f"sample {sample_id} was revisited on {sample.revisited_on}")
    sample.revisited_on, sample.revisit_outcome = body.on, body.outcome
    sample.revisit_satisfaction, sample.revisited_by = body.satisfaction, actor.principal.label
    session.flush()
    record(
        session,
        actor,
        "revisit.record",
        "case",
        sample.case_id,
        {"sample_id": sample.id, "on": body.on.isoformat(), "satisfaction": body.satisfaction},
    )
    return sample
