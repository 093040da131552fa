"""Opening and reading cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service import clock
from service.audit.service import Actor, record
from service.cases import repository
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case, CaseOutcome
from service.cases.schemas import CaseCreate
from service.config import Settings
from service.errors import NotFound
from service.locks import lock_key
from service.numbering.service import allocate_case_no


def create_case(
    session: Session, settings: Settings, actor: Actor, body: CaseCreate
) -> tuple[Case, bool]:
    """Open a case and allocate its 案号; returns ``(case, created)``.

    A repeated ``external_ref`` from the same client returns the existing case, so that other
    systems can retry safely.
    """
    client_id = actor.principal.client_id
    if body.external_ref is not None:
        lock_key(session, "case-ref", client_id, body.external_ref)
        existing = repository.get_by_external_ref(session, client_id, body.external_ref)
        if existing is not None:
            return existing, False
    now = clock.now()
    number = allocate_case_no(session, settings, clock.today().year)
    party = body.party
    case = Case(
        case_no=number.text,
        agency_code=settings.agency_code,
        year=number.year,
        seq=number.seq,
        party_name=party.name,
        party_kind=party.kind,
        party_id_code=party.id_code,
        party_representative=party.representative,
        party_address=party.address,
        party_phone=party.phone,
        cause=body.cause,
        major=body.major,
        livelihood=body.livelihood,
        urgent=body.urgent,
        external_ref=body.external_ref,
        client_id=client_id,
        created_by=actor.principal.label,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    record(session, actor, "case.create", "case", case.id, {"case_no": case.case_no})
    return case, True


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    """The case, or 404; ``for_update`` locks its row until commit."""
    case = repository.get(session, case_id, for_update=for_update)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def close_case(session: Session, actor: Actor, case_id: int, outcome: CaseOutcome) -> Case:
    """Close a case with its outcome (rectification passed, penalty started, other)."""
    case = get_case(session, case_id, for_update=True)
    case.status = next_status(case.status, CaseAction.close)
    case.outcome, case.closed_at = outcome, clock.now()
    case.updated_at = case.closed_at
    record(session, actor, "case.close", "case", case.id, {"outcome": outcome.value})
    return case
