"""The case as a process: recording acts (through documents or directly), the order and date
rules of issuing, corrections, and the steps kept in step with the acts.

Everything here runs inside the caller's transaction (the request's unit of work): an act, the
document that records it, the steps and the audit entry are committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from doc_templates import Template
from doc_templates.packs import INTERVIEW
from service import clock
from service.audit.service import Actor, record
from service.calendar.service import calendar
from service.calendar.workdays import Calendar
from service.cases import repository as cases
from service.cases.models import Case, CaseStatus
from service.config import Settings
from service.documents import repository as documents
from service.documents.models import Document, DocumentStatus
from service.errors import Conflict, FieldError, NotFound
from service.process import references, repository
from service.process.checks import contradictions, dependencies, document_date
from service.process.limits import Step
from service.process.models import Act, ActKind, CaseStep
from service.process.records import RECORDS
from service.process.rules import CaseState, check_order, needed_kinds
from service.process.steps import CaseKind, StepState, Warnings, compute_steps, stage

# Acts a clerk or another system records directly (the others come with their documents).
DIRECT_ACTS = (ActKind.report_received, ActKind.approval_signed)


@dataclass(frozen=True)
class IssuePlan:
    """What issuing a document will record: its 成文日期 and its act."""

    issued_on: date
    kind: ActKind | None
    occurred_on: date | None
    occurred_at: datetime | None
    detail: dict[str, Any] = field(default_factory=dict)
    replaces: Document | None = None


def _kind(case: Case) -> CaseKind:
    return CaseKind(major=case.major, urgent=case.urgent)


def follows_interview_flow(case: Case) -> bool:
    """Whether the interview's order, steps and time limits apply: to cases of the 约谈 pack.
    Guidance and mediation cases keep their acts and documents, without that flow."""
    return case.pack == INTERVIEW


def steps_now(session: Session, settings: Settings, case: Case, cal: Calendar) -> list[StepState]:
    """The case's steps as of now, from its acts (none outside the interview flow)."""
    if not follows_interview_flow(case):
        return []
    archived = repository.first_archived_on(session, case.id)
    return compute_steps(
        repository.acts_of(session, case.id),
        archived.astimezone(clock.LOCAL_TZ).date() if archived else None,
        _kind(case),
        settings.time_limits,
        cal,
        clock.now(),
        clock.today(),
        Warnings(settings.yellow_working_days, settings.yellow_hours),
    )


def case_progress(session: Session, settings: Settings, case: Case) -> tuple[str, list[StepState]]:
    """The case's stage and steps, for reading."""
    steps = steps_now(session, settings, case, calendar(session))
    closed = case.status != CaseStatus.open
    archived = case.status == CaseStatus.archived
    return stage(steps, closed, archived), steps


def sync_steps(
    session: Session, settings: Settings, case: Case, cal: Calendar | None = None
) -> None:
    """Bring the case's materialised steps in line with its acts (keeping what was reported)."""
    stored = repository.steps_of(session, case.id)
    for s in steps_now(session, settings, case, cal or calendar(session)):
        row = stored.get(s.step.value)
        if row is None:
            row = CaseStep(case_id=case.id, step=s.step.value, notified=None)
            session.add(row)
        row.position, row.status = s.position, s.status
        row.started_on, row.due_on, row.due_at = s.started_on, s.due_on, s.due_at
        row.done_on, row.done_late, row.provisional = s.done_on, s.done_late, s.provisional
    session.flush()


def case_state(session: Session, settings: Settings, case: Case, cal: Calendar) -> CaseState:
    """What the order rules look at."""
    acts = repository.acts_of(session, case.id)
    templates = frozenset(
        d.template_code
        for d in documents.list_for_case(session, case.id)
        if d.status in (DocumentStatus.valid, DocumentStatus.archived)
    )
    rectification = next(
        (s for s in steps_now(session, settings, case, cal) if s.step == Step.rectification),
        None,
    )
    return CaseState(
        acts, templates, clock.today(), rectification.due_on if rectification else None
    )


def check_document_order(
    session: Session, settings: Settings, case: Case, template: Template
) -> None:
    """409 ``out_of_order`` when the flow has not reached this document yet."""
    if not follows_interview_flow(case):
        return
    state = case_state(session, settings, case, calendar(session))
    check_order(template.code, state, f"{template.code} {template.name}")


def resolve_references(
    session: Session, case: Case, template: Template, data: dict[str, Any]
) -> references.Resolved:
    """The data with every document it names checked and filled in (title, 文号)."""
    return references.resolve(session, case.id, template.model, data)


def plan_issue(
    session: Session,
    settings: Settings,
    case: Case,
    template: Template,
    model: BaseModel,
    referenced: list[Document],
    requested_on: date | None,
    replaces_id: int | None,
) -> IssuePlan:
    """Check a document's contradictions and dates (422; its order was checked by
    ``check_document_order``) and say what issuing it records."""
    cal = calendar(session)
    state = case_state(session, settings, case, cal)
    report_before = settings.time_limits[Step.report].before_deadline or 3
    problems = contradictions(template.code, model, case.clue_received_on, cal, report_before)
    data = model.model_dump(mode="json")
    after = dependencies(referenced, state.acts, needed_kinds(template.code))
    issued_on, date_problems = document_date(
        template.code, data, requested_on, clock.today(), after
    )
    problems += date_problems
    replaces = _replaced(session, case, template, replaces_id, problems)
    if problems:
        raise FieldError(problems)
    rec = RECORDS.get(template.code)
    if rec is None or rec.kind is None:
        return IssuePlan(issued_on, None, None, None, replaces=replaces)
    detail = rec.detail(data)
    if rec.kind == ActKind.document_served:
        detail = {
            "document_ids": [d.id for d in referenced],
            "templates": sorted({d.template_code for d in referenced}),
        }
    if rec.kind == ActKind.approval_signed and rec.dated(data) is None:
        return IssuePlan(issued_on, None, None, None, replaces=replaces)  # signed by hand later
    return IssuePlan(
        issued_on,
        rec.kind,
        rec.dated(data) or issued_on,
        rec.timed(data),
        detail,
        replaces,
    )


def _replaced(
    session: Session,
    case: Case,
    template: Template,
    replaces_id: int | None,
    problems: list[dict[str, Any]],
) -> Document | None:
    if replaces_id is None:
        return None
    old = documents.get(session, replaces_id)
    why = None
    if old is None or old.case_id != case.id:
        why = "is not a document of this case"
    elif old.template_code != template.code:
        why = f"is a {old.template_code}, not a {template.code}"
    elif old.status != DocumentStatus.superseded:
        why = "has not been voided; void it first, with the reason"
    elif documents.replacement_of(session, old.id) is not None:
        why = "was already replaced"
    if why is None:
        return old
    problems.append(
        {
            "field": "replaces",
            "message": f"document {replaces_id} {why}",
            "type": "reference",
            "label": "被替换的文书",
        }
    )
    return None


def record_issue(
    session: Session, settings: Settings, actor: Actor, case: Case, doc: Document, plan: IssuePlan
) -> None:
    """Record the act a just-issued document records and bring the steps up to date."""
    if plan.kind is not None and plan.occurred_on is not None:
        session.add(
            Act(
                case_id=case.id,
                kind=plan.kind,
                occurred_on=plan.occurred_on,
                occurred_at=plan.occurred_at,
                document_id=doc.id,
                detail=plan.detail,
                recorded_by=actor.principal.label,
                recorded_at=clock.now(),
            )
        )
        session.flush()
    sync_steps(session, settings, case)


def record_direct_act(
    session: Session,
    settings: Settings,
    actor: Actor,
    case: Case,
    kind: ActKind,
    occurred_on: date,
    document_id: int | None,
    approved: bool | None,
    note: str | None,
) -> Act:
    """Record an act no document of its own records (the report received, an approval signed
    by hand on a printed 02)."""
    if kind not in DIRECT_ACTS:
        raise FieldError(
            [
                {
                    "field": "kind",
                    "message": f"{kind.value} is recorded by its document, not directly",
                    "type": "value_error",
                    "label": "事项",
                }
            ]
        )
    if case.status != CaseStatus.open:
        raise Conflict(f"case {case.case_no} is {case.status.value}")
    cal = calendar(session)
    state = case_state(session, settings, case, cal)
    check_order(f"act:{kind.value}", state, kind.value)
    problems: list[dict[str, Any]] = []
    detail: dict[str, Any] = {}
    referenced: list[Document] = []
    if kind == ActKind.approval_signed:
        form = documents.get(session, document_id) if document_id else None
        if form is None or form.case_id != case.id or form.template_code != "02":
            problems.append(
                {
                    "field": "document_id",
                    "message": "an approval is signed on this case's 02 行政约谈审批表",
                    "type": "reference",
                    "label": "审批表",
                }
            )
        else:
            referenced.append(form)
        detail["approved"] = bool(approved)
    after = dependencies(referenced, state.acts, needed_kinds(f"act:{kind.value}"))
    if occurred_on > clock.today():
        problems.append(
            {"field": "on", "message": f"{occurred_on} is in the future", "label": "日期"}
        )
    problems += [
        {"field": "on", "message": f"{occurred_on} is before {what} on {when}", "label": "日期"}
        for what, when in after
        if occurred_on < when
    ]
    if problems:
        raise FieldError(problems)
    act = Act(
        case_id=case.id,
        kind=kind,
        occurred_on=occurred_on,
        document_id=document_id if kind == ActKind.approval_signed else None,
        detail=detail,
        note=note,
        recorded_by=actor.principal.label,
        recorded_at=clock.now(),
    )
    session.add(act)
    session.flush()
    record(
        session,
        actor,
        "act.record",
        "case",
        case.id,
        {"kind": kind.value, "on": occurred_on.isoformat(), **detail},
    )
    sync_steps(session, settings, case, cal)
    return act


def record_clue(session: Session, actor: Actor, case: Case) -> None:
    """The clue received: the first act of every case."""
    session.add(
        Act(
            case_id=case.id,
            kind=ActKind.clue_received,
            occurred_on=case.clue_received_on,
            detail={},
            recorded_by=actor.principal.label,
            recorded_at=clock.now(),
        )
    )
    session.flush()


def check_close(
    session: Session, settings: Settings, case: Case, outcome: str, closed_on: date
) -> None:
    """409 when the outcome has not happened (passed: a passing 10; penalty: a 12); 422 when
    the date is in the future or before the case's last act."""
    cal = calendar(session)
    state = case_state(session, settings, case, cal)
    if follows_interview_flow(case):
        check_order(f"close:{outcome}", state, f"closing as {outcome}")
    problems = []
    if closed_on > clock.today():
        problems.append(
            {"field": "closed_on", "message": f"{closed_on} is in the future", "label": "结案日期"}
        )
    last = max((a.occurred_on for a in state.acts if a.voided_at is None), default=None)
    if last is not None and closed_on < last:
        problems.append(
            {
                "field": "closed_on",
                "message": f"{closed_on} is before the case's last act on {last}",
                "label": "结案日期",
            }
        )
    if problems:
        raise FieldError(problems)


def record_close(
    session: Session, settings: Settings, actor: Actor, case: Case, closed_on: date
) -> None:
    """The case closed: its act, and the archiving step opens."""
    session.add(
        Act(
            case_id=case.id,
            kind=ActKind.case_closed,
            occurred_on=closed_on,
            detail={"outcome": case.outcome.value if case.outcome else None},
            recorded_by=actor.principal.label,
            recorded_at=clock.now(),
        )
    )
    session.flush()
    sync_steps(session, settings, case)


def void_document(
    session: Session, settings: Settings, actor: Actor, document_id: int, reason: str
) -> Document:
    """A wrong document is voided (superseded), never deleted; the acts it recorded go too."""
    found = documents.get(session, document_id)
    if found is None:
        raise NotFound(f"document {document_id} not found")
    case = cases.get(session, found.case_id, for_update=True)
    doc = documents.get_for_update(session, document_id)
    assert case is not None and doc is not None
    if doc.status not in (DocumentStatus.valid, DocumentStatus.archived):
        raise Conflict(f"document {doc.doc_no} is {doc.status.value}")
    now = clock.now()
    doc.status = DocumentStatus.superseded
    doc.voided_at, doc.voided_by, doc.void_reason = now, actor.principal.label, reason
    for act in repository.acts_of_document(session, doc.id):
        act.voided_at = act.voided_at or now
    session.flush()
    record(
        session,
        actor,
        "document.void",
        "document",
        doc.id,
        {"doc_no": doc.doc_no, "reason": reason, "case_no": case.case_no},
    )
    sync_steps(session, settings, case)
    return doc


def resync_running(session: Session, settings: Settings) -> int:
    """Recompute the steps of every case whose due dates a calendar change may move."""
    cal = calendar(session)
    count = 0
    for case_id in repository.cases_with_running_steps(session):
        case = cases.get(session, case_id)
        if case is not None:
            sync_steps(session, settings, case, cal)
            count += 1
    return count
