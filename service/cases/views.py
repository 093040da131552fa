"""HTTP routes for cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from service.audit.service import Actor
from service.cases import service
from service.cases.models import Case
from service.cases.schemas import CaseClose, CaseCreate, CaseOut, PartyOut, StepOut
from service.config import Settings
from service.deps import CaseId, ReadSessionDep, SessionDep, SettingsDep, authorize
from service.openapi import errors
from service.process import service as process

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])


def case_out(session: Session, settings: Settings, case: Case) -> CaseOut:
    """API view of a case, with where it stands in the flow."""
    stage, steps = process.case_progress(session, settings, case)
    return CaseOut(
        id=case.id,
        case_no=case.case_no,
        pack=case.pack,
        status=case.status,
        stage=stage,
        party=PartyOut(
            name=case.party_name,
            kind=case.party_kind,
            id_code=case.party_id_code,
            representative=case.party_representative,
            address=case.party_address,
            phone=case.party_phone,
        ),
        cause=case.cause,
        major=case.major,
        livelihood=case.livelihood,
        urgent=case.urgent,
        section=case.section,
        handler=case.handler,
        clue_received_on=case.clue_received_on,
        external_ref=case.external_ref,
        outcome=case.outcome,
        closed_on=case.closed_on,
        satisfaction=case.satisfaction,
        closed_at=case.closed_at,
        archive_error=case.archive_error,
        created_by=case.created_by,
        created_at=case.created_at,
        updated_at=case.updated_at,
        steps=[
            StepOut(
                step=s.step.value,
                label=s.label,
                status=s.status.value,
                started_on=s.started_on,
                due=s.due_at if s.due_at is not None else s.due_on,
                done_on=s.done_on,
                warning=s.warning.value if s.warning else None,
                provisional=s.provisional,
            )
            for s in steps
        ],
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CaseOut,
    responses={200: {"model": CaseOut, "description": "Existing case (same external_ref)"}},
)
def create_case(
    body: CaseCreate,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("cases.create"))],
) -> CaseOut:
    """Open a case and allocate its 案号 (201), or return the case already opened under the
    same ``external_ref`` by the same client (200). The clue's date is its first act."""
    case, created = service.create_case(session, settings, actor, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return case_out(session, settings, case)


@router.get("/{case_id}", response_model=CaseOut)
def get_case(
    case_id: CaseId,
    session: ReadSessionDep,
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("cases.read"))],
) -> CaseOut:
    """One case: its stage and each step's due date, status and warning."""
    return case_out(session, settings, service.get_case(session, case_id))


@router.post("/{case_id}/close", response_model=CaseOut, responses=errors(409))
def close_case(
    case_id: CaseId,
    body: CaseClose,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("cases.close"))],
) -> CaseOut:
    """Close a case: rectification passed (needs a passing 10), penalty procedure started
    (needs a 12), or other; on its own date."""
    case = service.close_case(session, settings, actor, case_id, body)
    return case_out(session, settings, case)
