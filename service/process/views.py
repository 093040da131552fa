"""HTTP routes of the case process: the timeline of acts, acts recorded directly, drafts,
voiding a document, and the warnings across cases."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from archive.objects import StorageError
from doc_templates import get_template
from service import clock
from service.archives.service import archive_case
from service.audit.service import Actor
from service.calendar.service import calendar
from service.cases.models import CaseStatus
from service.cases.service import get_case
from service.db import transaction
from service.deps import (
    CaseId,
    DocumentId,
    ReadSessionDep,
    RuntimeDep,
    SessionDep,
    SettingsDep,
    TemplateCode,
    authorize,
)
from service.documents import repository as documents
from service.documents.models import DocumentStatus
from service.documents.service import resolve_template
from service.errors import DomainError
from service.openapi import errors
from service.process import repository, service
from service.process.drafts import Known, draft
from service.process.limits import STEP_LABELS, Step
from service.process.models import ACT_LABELS, Act, StepWarning
from service.process.records import act_date
from service.process.rules import ORDER
from service.process.schemas import (
    ActIn,
    ActOut,
    DraftOut,
    FlaggedSection,
    VoidIn,
    VoidOut,
    WarningOut,
    WarningsOut,
)
from service.process.warnings import due_value, flagged_sections, warned
from service.schemas import OptionalSafeText

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["process"])


def _act_out(act: Act, doc_nos: dict[int, str]) -> ActOut:
    return ActOut(
        id=act.id,
        kind=act.kind,
        label=ACT_LABELS[act.kind],
        on=act.occurred_on,
        at=act.occurred_at,
        document_id=act.document_id,
        doc_no=doc_nos.get(act.document_id) if act.document_id else None,
        detail=act.detail or {},
        note=act.note,
        recorded_by=act.recorded_by,
        recorded_at=act.recorded_at,
        voided=act.voided_at is not None,
    )


@router.get("/cases/{case_id}/acts", response_model=list[ActOut])
def list_acts(
    case_id: CaseId,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("cases.read"))],
) -> list[ActOut]:
    """The case's timeline: every act with its own date (voided ones marked)."""
    case = get_case(session, case_id)
    doc_nos = {d.id: d.doc_no for d in documents.list_for_case(session, case.id)}
    return [_act_out(a, doc_nos) for a in repository.acts_of(session, case.id)]


@router.post(
    "/cases/{case_id}/acts",
    status_code=status.HTTP_201_CREATED,
    response_model=ActOut,
)
def record_act(
    case_id: CaseId,
    body: ActIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("acts.record"))],
) -> ActOut:
    """Record an act no document records: the party's report received, or an approval
    signed by hand on the printed 02."""
    case = get_case(session, case_id, for_update=True)
    act = service.record_direct_act(
        session,
        settings,
        actor,
        case,
        body.kind,
        body.on,
        body.document_id,
        body.approved,
        body.note,
    )
    doc_nos = {d.id: d.doc_no for d in documents.list_for_case(session, case.id)}
    return _act_out(act, doc_nos)


@router.get("/cases/{case_id}/documents/{code}/draft", response_model=DraftOut)
def get_draft(
    case_id: CaseId,
    code: TemplateCode,
    session: ReadSessionDep,
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("documents.issue"))],
) -> DraftOut:
    """A document's data prefilled from the case and its earlier documents, to complete; and
    what the flow still needs before it can be issued."""
    case = get_case(session, case_id)
    template = resolve_template(code)
    docs = [
        d
        for d in documents.list_for_case(session, case.id)
        if d.status in (DocumentStatus.valid, DocumentStatus.archived)
    ]
    cal = calendar(session)
    state = service.case_state(session, settings, case, cal)
    data = draft(template.code, Known(case, docs, list(state.acts)), cal)
    missing = [
        {"need": n.code, "label": n.label}
        for n in ORDER.get(template.code, ())
        if not n.holds(state)
    ]
    return DraftOut(template=code, issued_on=act_date(code, data), data=data, missing=missing)


@router.post("/documents/{document_id}/void", response_model=VoidOut, responses=errors(409))
def void_document(
    document_id: DocumentId,
    body: VoidIn,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("documents.void"))],
) -> VoidOut:
    """Void a wrong document, with the reason: it becomes superseded (never deleted), the acts
    it recorded go, ``/verify`` says so; a replacement is issued with ``"replaces": id``.
    A document of an archived case is voided, then the case is archived again as a new
    version (``rearchived``; a failure there is on the case as ``archive_error``)."""
    with transaction(runtime.sessions) as session:
        voided = service.void_document(session, runtime.settings, actor, document_id, body.reason)
        archived = get_case(session, voided.case_id).status == CaseStatus.archived
    version = None
    if archived:
        try:
            archive, _ = archive_case(
                runtime.sessions,
                runtime.settings,
                runtime.documents,
                runtime.archive,
                runtime.converter,
                actor,
                voided.case_id,
                f"作废{voided.doc_no}",
            )
            version = archive.versions
        except (DomainError, StorageError):
            log.exception("re-archiving case %s after a void failed", voided.case_id)
    return VoidOut(
        id=voided.id,
        doc_no=voided.doc_no,
        template=voided.template_code,
        template_name=get_template(voided.template_code).name,
        status=voided.status.value,
        voided_at=voided.voided_at,
        voided_by=voided.voided_by,
        void_reason=voided.void_reason,
        rearchived=version is not None,
        archive_version=version,
    )


@router.get("/warnings", response_model=WarningsOut)
def list_warnings(
    session: ReadSessionDep,
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("warnings.read"))],
    section: Annotated[OptionalSafeText, Query(max_length=100, description="承办科室")] = None,
    handler: Annotated[OptionalSafeText, Query(max_length=100, description="承办人")] = None,
    level: Annotated[StepWarning | None, Query(description="yellow or red")] = None,
) -> WarningsOut:
    """Open steps with a yellow or red warning across cases, and the sections with three
    overdue steps in a row."""
    rows = warned(session, settings, section=section, handler=handler, level=level)
    flagged = flagged_sections(session, clock.today())
    if section is not None:
        flagged = [f for f in flagged if f["section"] == section]
    return WarningsOut(
        as_of=clock.today(),
        items=[
            WarningOut(
                case_id=w.case.id,
                case_no=w.case.case_no,
                party=w.case.party_name,
                section=w.case.section,
                handler=w.case.handler,
                step=w.step.step,
                label=STEP_LABELS[Step(w.step.step)],
                due=due_value(w.step),
                warning=w.warning.value,
                provisional=w.step.provisional,
            )
            for w in rows
        ],
        flagged_sections=[FlaggedSection(**f) for f in flagged],
    )
