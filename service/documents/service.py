"""Issuing documents: number, render, store, record — all or nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from archive.storage import ObjectStore
from doc_templates import RenderContext, Template, UnknownTemplate, get_template, render_docx
from doc_templates.context import PartyFacts
from doc_templates.packs import get_pack
from service import clock
from service.audit.service import Actor, record
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case
from service.cases.service import get_case
from service.config import Settings
from service.documents import repository
from service.documents.models import Document, DocumentStatus
from service.documents.schemas import DocumentIssue
from service.errors import Conflict, DomainError, FieldError, NotFound
from service.jobs import defer
from service.locks import lock_key
from service.numbering.service import allocate_doc_no
from service.process import service as process
from service.templates import service as templates
from service.validation import reject_forbidden, validation_problems
from service.verify.tokens import make_token, new_verify_id

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class UnknownTemplateError(NotFound):
    """No template has this code."""

    code = "unknown_template"


class IdempotencyConflict(Conflict):
    """This Idempotency-Key was used with a different request."""

    code = "idempotency_key_reused"


class RenderFailed(DomainError):
    """The document could not be rendered."""

    status_code = 500
    code = "render_failed"


def resolve_template(code: str) -> Template:
    """The template with ``code``, or 404 ``unknown_template``."""
    try:
        return get_template(code)
    except UnknownTemplate:
        raise UnknownTemplateError(f"no template with code {code!r}") from None


def check_pack(case: Case, template: Template) -> None:
    """422 naming ``template`` when it is not one of the case's pack."""
    if not get_pack(case.pack).uses(template.code, template.pack):
        raise FieldError(
            [
                {
                    "field": "template",
                    "message": f"template {template.code} {template.name} belongs to the "
                    f"{get_pack(template.pack).name} pack, not this case's "
                    f"({get_pack(case.pack).name})（模板不属于本案的模板包）",
                    "type": "wrong_pack",
                    "label": "文书模板编号",
                }
            ]
        )


def validate_data(template: Template, data: dict[str, Any]) -> BaseModel:
    """The document data as the template's field model, or 422 naming each bad field."""
    reject_forbidden(data, template.model, prefix=("data",))
    try:
        return template.model.model_validate(data)
    except ValidationError as exc:
        raise FieldError(validation_problems(exc, template.model, prefix=("data",))) from None


def request_hash(body: DocumentIssue, case_id: int) -> str:
    """Fingerprint of an issue request, to tell a retry from a different request."""
    raw = json.dumps(
        {
            "case_id": case_id,
            "template": body.template,
            "data": body.data,
            "issued_on": body.issued_on.isoformat() if body.issued_on else None,
            "replaces": body.replaces,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def party_facts(case: Case) -> PartyFacts:
    """The party as templates see it."""
    return PartyFacts(
        name=case.party_name,
        kind=case.party_kind.value,
        id_code=case.party_id_code,
        representative=case.party_representative,
        address=case.party_address,
        phone=case.party_phone,
    )


def verify_url(settings: Settings, verify_id: str) -> str:
    """The URL a document's QR code encodes."""
    return f"{settings.api_base}/api/v1/verify/{make_token(settings.secret, verify_id)}"


def issue_document(
    session: Session,
    settings: Settings,
    store: ObjectStore,
    actor: Actor,
    case_id: int,
    body: DocumentIssue,
    idempotency_key: str | None = None,
    *,
    make_pdf: bool = True,
) -> tuple[Document, bool]:
    """Issue a document; returns ``(document, created)``.

    The 文号 is allocated inside this transaction, so a failure at any later step (bad data,
    render error, storage down) rolls the number back with everything else. Before that: the
    documents it names are checked and their titles and 文号 filled in, the order of the flow
    is checked (409 ``out_of_order``), contradictions and dates are refused (422), and the
    document's 成文日期 is settled; after: the act it records, and the case's steps. With
    ``make_pdf`` the job that makes its PDF is deferred in the same transaction: it exists
    exactly when the document does, and runs once the issue is committed.
    """
    case = get_case(session, case_id)
    template = resolve_template(body.template)
    check_pack(case, template)
    reject_forbidden(body.data, template.model, prefix=("data",))  # before anything hashes it
    client_id = actor.principal.client_id
    fingerprint = request_hash(body, case_id)
    if idempotency_key is not None:
        lock_key(session, "doc-idem", client_id, idempotency_key)
        existing = repository.get_by_idempotency_key(session, client_id, idempotency_key)
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise IdempotencyConflict(
                    "this Idempotency-Key was already used with a different request"
                )
            return existing, False
    next_status(case.status, CaseAction.issue)
    process.check_document_order(session, settings, case, template)
    resolved = process.resolve_references(session, case, template, body.data)
    data = validate_data(template, resolved.data)
    plan = process.plan_issue(
        session, settings, case, template, data, resolved.documents, body.issued_on, body.replaces
    )
    issued_on = plan.issued_on
    number = allocate_doc_no(session, settings, template.code, issued_on.year, case.pack)
    verify_id = new_verify_id()
    ctx = RenderContext(
        agency_name=settings.agency_name,
        case_no=case.case_no,
        doc_no=number.text,
        issued_on=issued_on,
        party=party_facts(case),
        cause=case.cause,
        verify_url=verify_url(settings, verify_id),
        index_line=f"{case.case_no} · {number.text}",
    )
    pinned, revision = templates.pinned_version(session, settings, store, template)
    try:
        docx = render_docx(template, ctx, data, revision)
    except Exception as exc:  # a template bug must not consume a number
        raise RenderFailed(f"rendering template {template.code} failed: {exc}") from exc
    sha256 = hashlib.sha256(docx).hexdigest()
    key = f"documents/{number.year}/{case.id}/{template.code}-{number.seq}.docx"
    stored = store.put(
        key, docx, content_type=DOCX_MIME, metadata={"doc-no": number.text, "case-no": case.case_no}
    )

    doc = Document(
        case_id=case.id,
        template_code=template.code,
        template_version=pinned.version,
        template_version_id=pinned.id,
        doc_no=number.text,
        year=number.year,
        seq=number.seq,
        status=DocumentStatus.valid,
        data=data.model_dump(mode="json"),
        issued_on=issued_on,
        issued_at=clock.now(),
        replaces_id=plan.replaces.id if plan.replaces else None,
        issued_by=actor.principal.label,
        verify_id=verify_id,
        sha256=sha256,
        size=len(docx),
        storage_key=key,
        storage_version=stored.version_id,
        client_id=client_id,
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
    )
    session.add(doc)
    session.flush()
    if make_pdf:
        doc.pdf_job_id = defer(
            session, "documents.make_pdf", document_id=doc.id, actor=actor.as_args()
        )
    record(
        session,
        actor,
        "document.issue",
        "document",
        doc.id,
        {
            "case_no": case.case_no,
            "doc_no": doc.doc_no,
            "template": template.code,
            "template_version": pinned.version,
            "sha256": sha256,
            "issued_on": issued_on.isoformat(),
            "replaces": plan.replaces.doc_no if plan.replaces else None,
        },
    )
    process.record_issue(session, settings, actor, case, doc, plan)
    return doc, True


def get_document(session: Session, document_id: int) -> Document:
    """The document, or 404."""
    doc = repository.get(session, document_id)
    if doc is None:
        raise NotFound(f"document {document_id} not found")
    return doc
