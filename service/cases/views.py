"""HTTP routes for cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from service.audit.service import Actor
from service.cases import service
from service.cases.models import Case
from service.cases.schemas import CaseClose, CaseCreate, CaseOut, PartyOut
from service.deps import CaseId, SessionDep, SettingsDep, authorize

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])


def case_out(case: Case) -> CaseOut:
    """API view of a case."""
    return CaseOut(
        id=case.id,
        case_no=case.case_no,
        status=case.status,
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
        external_ref=case.external_ref,
        outcome=case.outcome,
        closed_at=case.closed_at,
        archive_error=case.archive_error,
        created_by=case.created_by,
        created_at=case.created_at,
        updated_at=case.updated_at,
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
    same ``external_ref`` by the same client (200)."""
    case, created = service.create_case(session, settings, actor, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return case_out(case)


@router.get("/{case_id}", response_model=CaseOut)
def get_case(
    case_id: CaseId,
    session: SessionDep,
    _: Annotated[Actor, Depends(authorize("cases.read"))],
) -> CaseOut:
    """One case."""
    return case_out(service.get_case(session, case_id))


@router.post("/{case_id}/close", response_model=CaseOut)
def close_case(
    case_id: CaseId,
    body: CaseClose,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("cases.close"))],
) -> CaseOut:
    """Close a case: rectification passed, penalty procedure started, or other."""
    return case_out(service.close_case(session, actor, case_id, body.outcome))
