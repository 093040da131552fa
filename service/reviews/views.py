"""HTTP routes of the case-file reviews (案卷评查) and revisits (回访)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from sqlalchemy.orm import Session

from service.audit.service import Actor
from service.cases.models import Case
from service.config import Settings
from service.deps import ReadSessionDep, SessionDep, SettingsDep, authorize
from service.errors import NotFound
from service.openapi import errors
from service.reviews import repository, service
from service.reviews.models import DrawKind, ReviewDraw, ReviewSample
from service.reviews.schemas import (
    ChecklistItemOut,
    ChecklistOut,
    DrawIn,
    DrawOut,
    RevisitDrawIn,
    RevisitIn,
    SampleOut,
    ScoredItem,
    ScoreIn,
)

router = APIRouter(prefix="/api/v1/reviews", tags=["reviews"])
SampleId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Sample id")]


def sample_out(sample: ReviewSample, case: Case) -> SampleOut:
    """A sample as the API shows it."""
    return SampleOut(
        id=sample.id,
        case_id=case.id,
        case_no=case.case_no,
        party=case.party_name,
        section=case.section,
        handler=case.handler,
        closed_on=case.closed_on,
        position=sample.position,
        score=sample.score,
        pass_mark=sample.pass_mark,
        passed=sample.passed,
        items=[ScoredItem(**i) for i in sample.items] if sample.items else None,
        findings=sample.findings,
        reviewed_on=sample.reviewed_on,
        reviewed_by=sample.reviewed_by,
        revisited_on=sample.revisited_on,
        revisit_outcome=sample.revisit_outcome,
        revisit_satisfaction=sample.revisit_satisfaction,
    )


def draw_out(session: Session, made: ReviewDraw) -> DrawOut:
    """A draw with its samples."""
    samples = repository.samples_of(session, made.id)
    return DrawOut(
        id=made.id,
        kind=made.kind.value,
        period=made.period,
        share=made.share,
        seed=made.seed,
        population=list(made.population),
        size=len(samples),
        drawn_at=made.drawn_at,
        drawn_by=made.drawn_by,
        samples=[sample_out(s, c) for s, c in samples],
    )


def _draw(
    session: Session,
    settings: Settings,
    actor: Actor,
    kind: DrawKind,
    period: str,
    response: Response,
) -> DrawOut:
    made, created = service.draw(session, settings, actor, kind, period)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return draw_out(session, made)


@router.post("/draws", response_model=DrawOut, status_code=201, responses=errors(409))
def draw_month(
    body: DrawIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("reviews.draw"))],
) -> DrawOut:
    """Draw the month's review sample: ceil(15%) (``ANJUAN_REVIEW_SHARE``) of the cases closed
    in it, none drawn before; 201 when drawn now, 200 with the same draw when asked again."""
    return _draw(session, settings, actor, DrawKind.review, body.month, response)


@router.post("/revisits", response_model=DrawOut, status_code=201, responses=errors(409))
def draw_quarter(
    body: RevisitDrawIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("reviews.draw"))],
) -> DrawOut:
    """Draw the quarter's revisit sample: ceil(10%) (``ANJUAN_REVISIT_SHARE``) of the cases
    closed in it; 201 when drawn now, 200 with the same draw when asked again."""
    return _draw(session, settings, actor, DrawKind.revisit, body.quarter, response)


@router.get("/checklist", response_model=ChecklistOut)
def checklist(
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("reviews.read"))],
) -> ChecklistOut:
    """The items reviewers score, their points, and the pass mark."""
    items = [ChecklistItemOut(**i.model_dump()) for i in settings.review_checklist]
    return ChecklistOut(
        items=items, total=sum(i.points for i in items), pass_mark=settings.review_pass_mark
    )


@router.post("/samples/{sample_id}/score", response_model=SampleOut, responses=errors(404, 409))
def score_sample(
    sample_id: SampleId,
    body: ScoreIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("reviews.score"))],
) -> SampleOut:
    """Score a sampled case file item by item, each with a note; below the pass mark the
    findings are attached and the handler notified (an audited ``review.notify_handler``)."""
    sample = service.score(session, settings, actor, sample_id, body)
    return sample_view(session, sample)


@router.post("/samples/{sample_id}/revisit", response_model=SampleOut, responses=errors(404, 409))
def record_revisit(
    sample_id: SampleId,
    body: RevisitIn,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("reviews.score"))],
) -> SampleOut:
    """Record what the revisit of a drawn case found."""
    sample = service.revisit(session, actor, sample_id, body)
    return sample_view(session, sample)


@router.get("/samples/{sample_id}", response_model=SampleOut, responses=errors(404))
def get_sample(
    sample_id: SampleId,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("reviews.read"))],
) -> SampleOut:
    """A drawn case and its review or revisit."""
    sample = repository.sample(session, sample_id)
    if sample is None:
        raise NotFound(f"sample {sample_id} not found")
    return sample_view(session, sample)


def sample_view(session: Session, sample: ReviewSample) -> SampleOut:
    """A sample with its case, as the API shows it."""
    return sample_out(sample, repository.case_of(session, sample))
