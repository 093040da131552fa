"""案卷评查 for the legal section: a month's sample drawn (reproducibly, as the API draws it),
each sampled file scored against the checklist with a note per item."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from doc_templates.text_rules import FORBIDDEN_CHARACTER
from service import clock
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.console.problems import chinese
from service.db import reading, transaction
from service.deps import ReadSessionDep, RuntimeDep
from service.errors import FieldError, NotFound
from service.reviews import repository
from service.reviews import service as reviews
from service.reviews.models import DrawKind
from service.reviews.schemas import ScoreIn
from service.reviews.views import SampleId, draw_out, sample_view

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
# the service's refusals, as the reviewer reads them beside the field
CHINESE = {
    "findings": "得分低于合格分，须填写评查结论（将通知承办人）",
    "awarded": "得分不能超过该项分值",
    "items": "每个评查项目须评分一次",
}
Month = Annotated[str | None, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")]


def _last_month() -> str:
    first = clock.today().replace(day=1)
    prev = date.fromordinal(first.toordinal() - 1)
    return f"{prev.year}-{prev.month:02d}"


@router.get("/reviews")
def reviews_page(
    request: Request,
    session: ReadSessionDep,
    user: Annotated[ConsoleUser, Depends(can("reviews.read"))],
    month: Month = None,
) -> Response:
    """The month's sample (the previous month by default): seed, population, each file and
    its result; the legal section draws it here if it has not been drawn."""
    period = month or _last_month()
    made = repository.draw_of(session, DrawKind.review, period)
    return render(
        request,
        "reviews/month.html",
        {"month": period, "draw": draw_out(session, made) if made is not None else None},
    )


@router.post("/reviews/draw")
def draw_month(
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("reviews.draw"))],
    month: Annotated[str, Form(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")],
) -> Response:
    """Draw the month's sample (the same draw when asked again)."""
    with transaction(runtime.sessions) as session:
        reviews.draw(session, runtime.settings, user.actor, DrawKind.review, month)
    return RedirectResponse(f"/reviews?month={month}", status_code=303)


def _score_page(
    request: Request,
    session: Any,
    settings: Any,
    sample_id: int,
    given: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    sample = repository.sample(session, sample_id)
    if sample is None or sample.kind != DrawKind.review:
        raise NotFound(f"review sample {sample_id} not found")
    return render(
        request,
        "reviews/score.html",
        {
            "sample": sample_view(session, sample),
            "checklist": settings.review_checklist,
            "pass_mark": settings.review_pass_mark,
            "given": given,
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/reviews/samples/{sample_id}")
def sample_page(
    request: Request,
    sample_id: SampleId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("reviews.read"))],
) -> Response:
    """A sampled file: its result, or (legal) the scoring form."""
    with reading(runtime.sessions) as session:
        return _score_page(request, session, runtime.settings, sample_id, {}, {})


@router.post("/reviews/samples/{sample_id}/score")
async def score_sample(
    request: Request,
    sample_id: SampleId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("reviews.score"))],
) -> Response:
    """Score the file: every checklist item's points and note, the findings when it fails."""
    form = await request.form()
    given = {k: str(v) for k, v in form.items() if k != "csrf"}
    settings = runtime.settings
    errors: dict[str, str] = {}
    try:
        body = ScoreIn(
            items=[
                {
                    "code": item.code,
                    "awarded": given.get(f"awarded_{item.code}") or "-1",
                    "note": given.get(f"note_{item.code}", ""),
                }
                for item in settings.review_checklist
            ],
            findings=given.get("findings") or None,
        )
    except ValidationError as exc:
        for err in exc.errors():
            loc = err.get("loc", ())
            problem = {"message": err["msg"], "type": err["type"]}
            if len(loc) >= 3 and loc[0] == "items" and isinstance(loc[1], int):
                code = settings.review_checklist[loc[1]].code
                if loc[2] == "note":
                    errors[f"note_{code}"] = chinese(problem)
                else:
                    errors[f"awarded_{code}"] = "请填写 0 至该项分值之间的整数"
            elif err["type"] == FORBIDDEN_CHARACTER:
                errors[str(loc[0]) if loc else "form"] = chinese(problem)
            else:
                errors[str(loc[0]) if loc else "form"] = "格式不正确"
    if not errors:
        try:
            with transaction(runtime.sessions) as session:
                sample = reviews.score(session, settings, user.actor, sample_id, body)
                made = repository.get_draw(session, sample.draw_id)
                period = made.period if made is not None else ""
            return RedirectResponse(f"/reviews?month={period}", status_code=303)
        except FieldError as exc:
            for p in exc.detail if isinstance(exc.detail, list) else []:
                field = str(p.get("field", "form"))
                if field.startswith("items."):
                    index = int(field.split(".")[1])
                    field = f"awarded_{settings.review_checklist[index].code}"
                errors[field] = CHINESE.get(field.split("_")[0], "格式不正确")
    with reading(runtime.sessions) as session:
        return _score_page(request, session, settings, sample_id, given, errors, status=422)
