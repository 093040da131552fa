"""Destruction lists: propose, decide, confirm with the password again, execute, the register
and the printable record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.auth.login import Attempt, sign_in
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.deps import ListId, ReadSessionDep, RuntimeDep, SessionDep
from service.destruction import repository, service
from service.destruction.models import ListStatus
from service.destruction.views import record_response
from service.errors import DomainError, NotAuthenticated
from service.schemas import OptionalSafeText, SafeText

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
Reader = Annotated[ConsoleUser, Depends(can("destruction.read"))]


class StepUpFailed(DomainError):
    """The password given to confirm was not the signed-in user's."""

    status_code = 401
    code = "step_up_failed"


def _queue(user: ConsoleUser, status: ListStatus, confirmed: set[str]) -> bool:
    if user.may("destruction.decide"):
        return status == ListStatus.proposed
    if user.may("destruction.confirm"):
        return status == ListStatus.approved and user.principal.label not in confirmed
    if user.may("destruction.execute"):
        return status in (ListStatus.proposed, ListStatus.approved, ListStatus.executing)
    return False


@router.get("/destructions")
def lists(
    request: Request,
    session: ReadSessionDep,
    user: Reader,
    queue: Annotated[OptionalSafeText, Query(max_length=16)] = None,
) -> Response:
    """Every list, or (``queue``) those waiting for this person."""
    rows = []
    for lst in repository.lists(session):
        confirmations = repository.confirmations(session, lst.id)
        confirmed = {c.name for c in confirmations}
        rows.append(
            {
                "l": lst,
                "count": len(repository.items(session, lst.id)),
                "confirmations": len(confirmations),
                "waiting": _queue(user, lst.status, confirmed),
            }
        )
    if queue:
        rows = [r for r in rows if r["waiting"]]
    return render(request, "destruction/lists.html", {"rows": rows, "queue": bool(queue)})


@router.post("/destructions")
def propose(
    request: Request,
    session: SessionDep,
    user: Annotated[ConsoleUser, Depends(can("destruction.propose"))],
    appraisal: Annotated[SafeText, Form(min_length=2, max_length=4000)],
    archive_no: Annotated[list[SafeText] | None, Form(max_length=1000)] = None,
    title: Annotated[SafeText, Form(max_length=200)] = "",
) -> Response:
    """Propose a 销毁清册 of the selected due archives with the appraisal note."""
    if not archive_no:
        return render(
            request,
            "error.html",
            {
                "status": 422,
                "title": "填写有误",
                "message": "请至少勾选一份到期档案。",
                "code": "validation_error",
                "request_id": request.state.request_id,
            },
            status_code=422,
        )
    lst = service.propose(session, user.actor, archive_no, appraisal.strip(), title.strip() or None)
    session.commit()
    return RedirectResponse(f"/destructions/{lst.id}", status_code=303)


@router.get("/destructions/{list_id}")
def detail(
    list_id: ListId, request: Request, session: ReadSessionDep, runtime: RuntimeDep, user: Reader
) -> Response:
    """A list: exactly what will be destroyed, the decision, the confirmations, the actions."""
    lst = service.get_list(session, list_id)
    confirmations = repository.confirmations(session, lst.id)
    me = user.principal.label
    return render(
        request,
        "destruction/detail.html",
        {
            "l": lst,
            "items": repository.items(session, lst.id),
            "confirmations": confirmations,
            "can_decide": user.may("destruction.decide")
            and lst.status == ListStatus.proposed
            and lst.proposed_by != me,
            "can_confirm": user.may("destruction.confirm")
            and lst.status == ListStatus.approved
            and me not in {c.name for c in confirmations}
            and me not in (lst.proposed_by, lst.decided_by),
            "can_execute": user.may("destruction.execute")
            and lst.status in (ListStatus.approved, ListStatus.executing),
            "enough": len({c.user_id for c in confirmations}) >= service.MIN_SUPERVISORS,
            "min_supervisors": service.MIN_SUPERVISORS,
            "classes": runtime.settings.retention_classes,
        },
    )


@router.post("/destructions/{list_id}/decision")
def decide(
    list_id: ListId,
    session: SessionDep,
    user: Annotated[ConsoleUser, Depends(can("destruction.decide"))],
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    comment: Annotated[SafeText, Form(min_length=1, max_length=2000)],
) -> Response:
    """A leader approves or rejects, with a comment."""
    service.decide(session, user.actor, list_id, decision == "approve", comment.strip())
    session.commit()
    return RedirectResponse(f"/destructions/{list_id}", status_code=303)


@router.post("/destructions/{list_id}/confirm")
def confirm(
    list_id: ListId,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("destruction.confirm"))],
    password: Annotated[SafeText, Form(max_length=128)] = "",
) -> Response:
    """A supervisor confirms, giving their password again (step-up), so that a session left
    open cannot confirm. A wrong password counts against the sign-in throttle."""
    attempt = Attempt(
        username=user.name,
        client_addr=request.client.host if request.client else None,
        request_id=request.state.request_id,
    )
    try:
        if not password:
            raise NotAuthenticated("no password")
        sign_in(runtime.sessions, runtime.settings.login_policy, attempt, password)
    except NotAuthenticated:
        raise StepUpFailed("the password given to confirm is wrong") from None
    service.confirm(session, user.actor, list_id)
    session.commit()
    return RedirectResponse(f"/destructions/{list_id}", status_code=303)


@router.post("/destructions/{list_id}/execute")
def execute(
    list_id: ListId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("destruction.execute"))],
) -> Response:
    """Destroy every dossier on the list, register each, store the destruction record."""
    service.execute(
        runtime.sessions,
        runtime.settings,
        runtime.documents,
        runtime.archive,
        user.actor,
        list_id,
    )
    return RedirectResponse(f"/destructions/{list_id}", status_code=303)


@router.get("/destructions/{list_id}/record")
def destruction_record(list_id: ListId, runtime: RuntimeDep, user: Reader) -> Response:
    """The printable destruction record (档案销毁记录), inline; every read is audited."""
    return record_response(runtime, user.actor, list_id, "inline")


@router.get("/destruction-register")
def register(
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Reader,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The permanent destruction register, newest first."""
    size = 50
    entries = repository.register(session, size + 1, (page - 1) * size)
    return render(
        request,
        "destruction/register.html",
        {
            "entries": entries[:size],
            "page": page,
            "more": len(entries) > size,
            "classes": runtime.settings.retention_classes,
        },
    )
