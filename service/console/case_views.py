"""Clerk pages: my cases with their deadlines, the case page, issuing and voiding documents."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from archive.objects import StorageError, content_disposition
from doc_templates import all_templates, get_template
from service import clock
from service.archives.service import archive_case
from service.audit.service import record
from service.calendar.service import calendar
from service.cases.models import Case, CaseStatus
from service.cases.service import get_case
from service.console import forms
from service.console import repository as queries
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.console.problems import chinese
from service.db import transaction
from service.deps import CaseId, DocumentId, ReadSessionDep, RuntimeDep, SessionDep
from service.documents import repository as documents
from service.documents import service as doc_service
from service.documents.models import DocumentStatus
from service.documents.pdf import PDF_MIME, ensure_pdf
from service.documents.schemas import DocumentIssue
from service.errors import DomainError, FieldError
from service.process import repository as acts
from service.process import service as process
from service.process.drafts import Known, draft
from service.process.limits import STEP_LABELS
from service.process.models import ACT_LABELS
from service.process.records import act_date
from service.process.rules import ORDER
from service.process.warnings import flagged_sections, warned
from service.runtime import Runtime
from service.schemas import SafeText

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
Reader = Annotated[ConsoleUser, Depends(can("cases.read"))]
Issuer = Annotated[ConsoleUser, Depends(can("documents.issue"))]
STAGES = {s.value: label for s, label in STEP_LABELS.items()} | {
    "closing": "待结案",
    "closed": "已结案",
    "archived": "已归档",
}
DOC_STATUS = {"valid": "有效", "superseded": "已作废", "archived": "已归档", "destroyed": "已销毁"}


def _my_cases(session: Session, user: ConsoleUser) -> list[Case]:
    if user.may("cases.create"):
        return queries.cases_of(session, user.principal.label, user.name)
    return queries.recent_cases(session)


@router.get("/cases")
def my_cases(
    request: Request, session: ReadSessionDep, runtime: RuntimeDep, user: Reader
) -> Response:
    """Cases with their stage, next due date and yellow / red marks."""
    rows = []
    for case in _my_cases(session, user):
        stage, steps = process.case_progress(session, runtime.settings, case)
        running = [s for s in steps if s.status == "open"]
        due = min(
            (s.due_on or (s.due_at.date() if s.due_at else None) for s in running),
            default=None,
            key=lambda d: d or date.max,
        )
        marks = [s for s in running if s.warning]
        rows.append({"c": case, "stage": STAGES.get(stage, stage), "due": due, "marks": marks})
    return render(request, "cases/list.html", {"rows": rows})


@router.get("/cases/{case_id}")
def case_page(
    case_id: CaseId, request: Request, session: ReadSessionDep, runtime: RuntimeDep, user: Reader
) -> Response:
    """A case: its steps, the timeline of acts, its documents, what to issue next."""
    case = get_case(session, case_id)
    stage, steps = process.case_progress(session, runtime.settings, case)
    docs = documents.list_for_case(session, case.id)
    issued = {d.template_code for d in docs if d.status != DocumentStatus.superseded}
    codes = [t.code for t in all_templates() if t.pack == case.pack]
    nxt = next((c for c in codes if c not in issued), None)
    return render(
        request,
        "cases/case.html",
        {
            "c": case,
            "stage": STAGES.get(stage, stage),
            "steps": steps,
            "acts": acts.acts_of(session, case.id),
            "act_labels": ACT_LABELS,
            "docs": docs,
            "names": {t.code: t.name for t in all_templates()},
            "doc_status": DOC_STATUS,
            "templates": [(c, get_template(c).name) for c in codes],
            "next": nxt,
            "open": case.status == CaseStatus.open,
        },
    )


def _draft(session: Session, runtime: Runtime, case: Case, code: str) -> tuple[dict[str, Any], Any]:
    docs = [
        d
        for d in documents.list_for_case(session, case.id)
        if d.status in (DocumentStatus.valid, DocumentStatus.archived)
    ]
    cal = calendar(session)
    state = process.case_state(session, runtime.settings, case, cal)
    data = draft(code, Known(case, docs, list(state.acts)), cal)
    missing = [n.label for n in ORDER.get(code, ()) if not n.holds(state)]
    return data, (act_date(code, data), missing)


def _form_page(
    request: Request,
    case: Case,
    code: str,
    data: dict[str, Any],
    issued_on: Any,
    missing: list[str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    template = doc_service.resolve_template(code)
    schema = template.model.model_json_schema()
    return render(
        request,
        "cases/issue.html",
        {
            "c": case,
            "code": code,
            "name": template.name,
            "fields": forms.fields(schema, schema, data),
            "issued_on": issued_on.isoformat() if isinstance(issued_on, date) else issued_on or "",
            "missing": missing,
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/cases/{case_id}/issue")
def issue_form(
    case_id: CaseId,
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Issuer,
    template: Annotated[SafeText, Query(min_length=1, max_length=8)],
) -> Response:
    """The next document's form, generated from its template's schema, prefilled from the
    case and its earlier documents."""
    case = get_case(session, case_id)
    code = doc_service.resolve_template(template).code
    data, (issued_on, missing) = _draft(session, runtime, case, code)
    return _form_page(request, case, code, data, issued_on, missing, {})


@router.post("/cases/{case_id}/issue")
async def issue(
    case_id: CaseId,
    request: Request,
    runtime: RuntimeDep,
    user: Issuer,
) -> Response:
    """Issue the document; the API's 422 field errors are shown beside the fields."""
    form = await request.form()
    code = str(form.get("template", ""))
    issued_raw = str(form.get("issued_on", "") or "")
    values = {k: str(v) for k, v in form.items() if k not in ("csrf", "template", "issued_on")}
    return await run_in_threadpool(
        _issue_sync, request, runtime, user, case_id, code, issued_raw, values
    )


def _issue_sync(
    request: Request,
    runtime: Runtime,
    user: ConsoleUser,
    case_id: int,
    code: str,
    issued_raw: str,
    values: dict[str, str],
) -> Response:
    template = doc_service.resolve_template(code)
    schema = template.model.model_json_schema()
    data = forms.data_from(schema, values)
    try:
        issued_on = date.fromisoformat(issued_raw) if issued_raw else None
    except ValueError:
        issued_on = None
    try:
        with transaction(runtime.sessions) as session:
            body = DocumentIssue(template=template.code, data=data, issued_on=issued_on)
            doc, _ = doc_service.issue_document(
                session, runtime.settings, runtime.documents, user.actor, case_id, body
            )
            doc_id = doc.id
    except FieldError as exc:
        problems = exc.detail if isinstance(exc.detail, list) else []
        errors = forms.field_errors([{**p, "message": chinese(p)} for p in problems])
        with transaction(runtime.sessions) as session:
            case = get_case(session, case_id)
            return _form_page(
                request, case, template.code, data, issued_raw, [], errors, status=422
            )
    return RedirectResponse(f"/cases/{case_id}?issued={doc_id}#documents", status_code=303)


@router.get("/documents/{document_id}/docx")
def document_docx(
    document_id: DocumentId,
    session: SessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("documents.download"))],
) -> Response:
    """The issued DOCX; the read is recorded as in the API."""
    doc = doc_service.get_document(session, document_id)
    record(session, user.actor, "document.download", "document", doc.id, {"format": "docx"})
    session.commit()
    name = f"{doc.doc_no}{get_template(doc.template_code).name}.docx"
    return StreamingResponse(
        runtime.documents.stream(doc.storage_key),
        media_type=doc_service.DOCX_MIME,
        headers={
            "Content-Disposition": content_disposition(name, f"document-{doc.id}.docx"),
            "X-Content-SHA256": doc.sha256,
        },
    )


@router.get("/documents/{document_id}/pdf")
def document_pdf(
    document_id: DocumentId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("documents.download"))],
    download: bool = False,
) -> Response:
    """The document as PDF (made now if its job has not yet), inline to preview."""
    doc = ensure_pdf(
        runtime.sessions, runtime.documents, runtime.converter, document_id, user.actor
    )
    assert doc.pdf_storage_key is not None
    with transaction(runtime.sessions) as session:
        record(session, user.actor, "document.download", "document", doc.id, {"format": "pdf"})
    name = f"{doc.doc_no}{get_template(doc.template_code).name}.pdf"
    disposition = content_disposition(name, f"document-{doc.id}.pdf")
    if not download:
        disposition = disposition.replace("attachment", "inline", 1)
    return StreamingResponse(
        runtime.documents.stream(doc.pdf_storage_key),
        media_type=PDF_MIME,
        headers={"Content-Disposition": disposition, "X-Content-SHA256": doc.pdf_sha256 or ""},
    )


@router.post("/documents/{document_id}/void")
def void(
    document_id: DocumentId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("documents.void"))],
    reason: Annotated[SafeText, Form(min_length=2, max_length=1000)],
) -> Response:
    """Void a document with the reason (as the API does, an archived case is archived again)."""
    with transaction(runtime.sessions) as session:
        voided = process.void_document(
            session, runtime.settings, user.actor, document_id, reason.strip()
        )
        case_id = voided.case_id
        archived = get_case(session, case_id).status == CaseStatus.archived
    if archived:
        # a failure is on the case as archive_error, as after the API's void
        with contextlib.suppress(DomainError, StorageError):
            archive_case(
                runtime.sessions,
                runtime.settings,
                runtime.documents,
                runtime.archive,
                runtime.converter,
                user.actor,
                case_id,
                f"作废{voided.doc_no}",
            )
    return RedirectResponse(f"/cases/{case_id}#documents", status_code=303)


@router.get("/warnings")
def warnings(
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("warnings.read"))],
) -> Response:
    """The office's yellow and red marks across cases, by section, and the sections with three
    overdue steps in a row (the leader's view of the 红黄牌)."""
    rows = warned(session, runtime.settings)
    by_section: dict[str, dict[str, int]] = {}
    for w in rows:
        counts = by_section.setdefault(w.case.section or "未分科室", {"yellow": 0, "red": 0})
        counts[w.warning.value] += 1
    most = max((c["yellow"] + c["red"] for c in by_section.values()), default=0)
    return render(
        request,
        "cases/warnings.html",
        {
            "rows": rows,
            "labels": STEP_LABELS,
            "by_section": sorted(by_section.items(), key=lambda kv: -kv[1]["red"]),
            "most": most,
            "flagged": flagged_sections(session, clock.today()),
            "today": clock.today(),
        },
    )
