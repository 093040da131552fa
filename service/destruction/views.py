"""HTTP routes for destruction lists and the destruction register (holds and the due list
are the archives' routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from service.audit.service import Actor, record
from service.db import reading
from service.deps import (
    ListId,
    ReadSessionDep,
    RuntimeDep,
    SessionDep,
    authorize,
)
from service.destruction import repository, service
from service.destruction.models import DestructionList
from service.destruction.schemas import (
    ConfirmationOut,
    Decision,
    ListCreate,
    ListItemOut,
    ListOut,
    RegisterOut,
)
from service.downloads import audited_stream
from service.errors import NotFound
from service.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["destruction"])
CanRead = Annotated[Actor, Depends(authorize("destruction.read"))]


def list_out(session: Session, lst: DestructionList) -> ListOut:
    """API view of a destruction list."""
    return ListOut(
        id=lst.id,
        list_no=lst.list_no,
        title=lst.title,
        appraisal=lst.appraisal,
        status=lst.status,
        proposed_by=lst.proposed_by,
        proposed_at=lst.proposed_at,
        decided_by=lst.decided_by,
        decided_at=lst.decided_at,
        decision_comment=lst.decision_comment,
        executed_by=lst.executed_by,
        executed_at=lst.executed_at,
        record_sha256=lst.record_sha256,
        supervisors=[
            ConfirmationOut(name=c.name, confirmed_at=c.confirmed_at)
            for c in repository.confirmations(session, lst.id)
        ],
        items=[
            ListItemOut(
                archive_no=a.archive_no,
                case_no=a.case_no,
                party=a.party_name,
                destroyed_at=i.destroyed_at,
            )
            for i, a in repository.items(session, lst.id)
        ],
    )


@router.post("/destructions", status_code=status.HTTP_201_CREATED, response_model=ListOut)
def propose(
    body: ListCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("destruction.propose"))],
) -> ListOut:
    """Propose a destruction list of due archives, with the appraisal note."""
    lst = service.propose(session, actor, body.archive_nos, body.appraisal, body.title)
    return list_out(session, lst)


@router.get("/destructions", response_model=list[ListOut])
def list_lists(session: ReadSessionDep, _: CanRead) -> list[ListOut]:
    """Every destruction list, newest first."""
    return [list_out(session, lst) for lst in repository.lists(session)]


@router.get("/destructions/{list_id}", response_model=ListOut)
def get_list(list_id: ListId, session: ReadSessionDep, _: CanRead) -> ListOut:
    """A destruction list with its approval, confirmations and items."""
    return list_out(session, service.get_list(session, list_id))


@router.post("/destructions/{list_id}/decision", response_model=ListOut)
def decide(
    list_id: ListId,
    body: Decision,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("destruction.decide"))],
) -> ListOut:
    """A leader approves or rejects a list (not their own)."""
    return list_out(session, service.decide(session, actor, list_id, body.approve, body.comment))


@router.post(
    "/destructions/{list_id}/confirmations",
    status_code=status.HTTP_201_CREATED,
    response_model=ListOut,
)
def confirm(
    list_id: ListId,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("destruction.confirm"))],
) -> ListOut:
    """A supervisor confirms with their own login that they supervise this destruction."""
    service.confirm(session, actor, list_id)
    return list_out(session, service.get_list(session, list_id))


@router.post("/destructions/{list_id}/execute", response_model=ListOut)
def execute(
    list_id: ListId,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("destruction.execute"))],
) -> ListOut:
    """Delete every version of each dossier, register each, store the destruction record."""
    service.execute(
        runtime.sessions, runtime.settings, runtime.documents, runtime.archive, actor, list_id
    )
    with reading(runtime.sessions) as session:
        return list_out(session, service.get_list(session, list_id))


def record_response(
    runtime: Runtime, actor: Actor, list_id: int, disposition: str
) -> StreamingResponse:
    """The destruction record streamed (API and console): found in a read, its read audited
    in a transaction of its own before the first byte, no transaction open around the store."""
    with reading(runtime.sessions) as session:
        lst = service.get_list(session, list_id)
    if lst.record_key is None:
        raise NotFound(f"{lst.list_no} has no destruction record yet")
    return audited_stream(
        runtime.sessions,
        runtime.archive,
        lst.record_key,
        lambda session: record(
            session, actor, "destruction.record_read", "destruction_list", lst.id, {}
        ),
        version_id=lst.record_version,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="record-{lst.id}.pdf"',
            "X-Content-SHA256": lst.record_sha256 or "",
        },
    )


@router.get(
    "/destructions/{list_id}/record",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}}}},
)
def get_record(list_id: ListId, runtime: RuntimeDep, actor: CanRead) -> StreamingResponse:
    """The destruction record (档案销毁记录) PDF, kept permanently."""
    return record_response(runtime, actor, list_id, "attachment")


@router.get("/destruction-register", response_model=list[RegisterOut])
def get_register(
    session: ReadSessionDep,
    _: CanRead,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[RegisterOut]:
    """The permanent destruction register, newest first."""
    return [
        RegisterOut.model_validate(e, from_attributes=True)
        for e in repository.register(session, limit, offset)
    ]
