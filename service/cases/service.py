"""Opening and reading cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service import clock
from service.audit.service import Actor, record
from service.cases import repository
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case
from service.cases.schemas import CaseClose, CaseCreate
from service.config import Settings
from service.errors import FieldError, NotFound
from service.locks import lock_key
from service.numbering.service import allocate_case_no
from service.process import service as process


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
    clue_on = body.clue_received_on or clock.today()
    if clue_on > clock.today():
        raise FieldError(
            [
                {
                    "field": "clue_received_on",
                    "message": f"{clue_on} is in the future",
                    "type": "value_error",
                    "label": "线索接收日期",
                }
            ]
        )
    number = allocate_case_no(session, settings, clue_on.year, body.pack)
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
        pack=body.pack,
        section=body.section,
        handler=body.handler,
        clue_received_on=clue_on,
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
    process.record_clue(session, actor, case)
    process.sync_steps(session, settings, case)
    record(
        session,
        actor,
        "case.create",
        "case",
        case.id,
        {"case_no": case.case_no, "clue_received_on": clue_on.isoformat()},
    )
    return case, True


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    """The case, or 404; ``for_update`` locks its row until commit."""
    case = repository.get(session, case_id, for_update=for_update)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def close_case(
    session: Session, settings: Settings, actor: Actor, case_id: int, body: CaseClose
) -> Case:
    """Close a case with its outcome (rectification passed, penalty started, other) on the
    date it was closed; the outcome must have happened (a passing 10, a 12)."""
    case = get_case(session, case_id, for_update=True)
    case.status = next_status(case.status, CaseAction.close)
    closed_on = body.closed_on or clock.today()
    process.check_close(session, settings, case, body.outcome.value, closed_on)
    case.outcome, case.closed_at, case.closed_on = body.outcome, clock.now(), closed_on
    case.satisfaction = body.satisfaction
    case.updated_at = case.closed_at
    process.record_close(session, settings, actor, case, closed_on)
    record(
        session,
        actor,
        "case.close",
        "case",
        case.id,
        {"outcome": body.outcome.value, "closed_on": closed_on.isoformat()},
    )
    return case
