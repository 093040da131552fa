"""HTTP routes for documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status
from fastapi.responses import StreamingResponse

from archive.objects import content_disposition
from doc_templates import get_template
from service.audit.service import Actor, record
from service.cases.service import get_case
from service.db import reading
from service.deps import (
    CaseId,
    DocumentId,
    ReadSessionDep,
    RuntimeDep,
    SessionDep,
    SettingsDep,
    authorize,
)
from service.documents import service
from service.documents.models import Document
from service.documents.pdf import PDF_MIME, PdfNotReady, ensure_pdf
from service.documents.schemas import DocumentIssue, DocumentLinks, DocumentOut
from service.downloads import audited_stream
from service.openapi import errors
from service.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["documents"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="Repeat a request with the same key to get the same document back",
    ),
]


def document_out(doc: Document, case_no: str, verify_url: str) -> DocumentOut:
    """API view of a document."""
    return DocumentOut(
        id=doc.id,
        case_id=doc.case_id,
        case_no=case_no,
        template=doc.template_code,
        template_name=get_template(doc.template_code).name,
        doc_no=doc.doc_no,
        version=doc.template_version,
        status=doc.status,
        sha256=doc.sha256,
        size=doc.size,
        pdf_sha256=doc.pdf_sha256,
        issued_on=doc.issued_on,
        issued_at=doc.issued_at,
        issued_by=doc.issued_by,
        replaces=doc.replaces_id,
        voided_at=doc.voided_at,
        voided_by=doc.voided_by,
        void_reason=doc.void_reason,
        verify_url=verify_url,
        links=DocumentLinks(
            docx=f"/api/v1/documents/{doc.id}/docx",
            pdf=f"/api/v1/documents/{doc.id}/pdf",
            pdf_job=f"/api/v1/jobs/{doc.pdf_job_id}" if doc.pdf_job_id else None,
        ),
    )


@router.post(
    "/cases/{case_id}/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=DocumentOut,
    responses={200: {"model": DocumentOut, "description": "Replay of an Idempotency-Key"}},
)
def issue_document(
    case_id: CaseId,
    body: DocumentIssue,
    response: Response,
    session: SessionDep,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("documents.issue"))],
    idempotency_key: IdempotencyKey = None,
) -> DocumentOut:
    """Issue a document: allocate its 文号, render it with its QR code and store it."""
    doc, created = service.issue_document(
        session, runtime.settings, runtime.documents, actor, case_id, body, idempotency_key
    )
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    case = get_case(session, doc.case_id)
    return document_out(doc, case.case_no, service.verify_url(runtime.settings, doc.verify_id))


@router.get("/cases/{case_id}/documents", response_model=list[DocumentOut])
def list_case_documents(
    case_id: CaseId,
    session: ReadSessionDep,
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("documents.read"))],
) -> list[DocumentOut]:
    """A case's documents in issue order."""
    case = get_case(session, case_id)
    return [
        document_out(d, case.case_no, service.verify_url(settings, d.verify_id))
        for d in service.repository.list_for_case(session, case.id)
    ]


@router.get("/documents/{document_id}", response_model=DocumentOut)
def get_document(
    document_id: DocumentId,
    session: ReadSessionDep,
    settings: SettingsDep,
    _: Annotated[Actor, Depends(authorize("documents.read"))],
) -> DocumentOut:
    """One document."""
    doc = service.get_document(session, document_id)
    case = get_case(session, doc.case_id)
    return document_out(doc, case.case_no, service.verify_url(settings, doc.verify_id))


def _file_response(
    runtime: Runtime, actor: Actor, doc: Document, fmt: str, key: str, media_type: str, sha256: str
) -> StreamingResponse:
    """The document's file streamed, its read committed to the audit trail first."""
    name = f"{doc.doc_no}{get_template(doc.template_code).name}.{fmt}"
    return audited_stream(
        runtime.sessions,
        runtime.documents,
        key,
        lambda session: record(
            session, actor, "document.download", "document", doc.id, {"format": fmt}
        ),
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(
                name, fallback=f"document-{doc.id}-{doc.template_code}.{fmt}"
            ),
            "X-Content-SHA256": sha256,
        },
    )


@router.get(
    "/documents/{document_id}/pdf",
    response_class=StreamingResponse,
    responses={
        200: {"content": {PDF_MIME: {}}, "description": "The document as PDF/A-2b"},
        **errors(502),
    },
)
def download_pdf(
    document_id: DocumentId,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("documents.download"))],
) -> StreamingResponse:
    """The document as PDF/A-2b, made once by LibreOffice (by a job right after issue) and
    then served as recorded. Not made yet: made now, or, where the web processes have no
    LibreOffice (``ANJUAN_PDF_ON_DEMAND=false``), 503 ``pdf_not_ready`` with ``Retry-After``."""
    if not runtime.settings.pdf_on_demand:
        with reading(runtime.sessions) as session:
            found = service.get_document(session, document_id)
            if found.pdf_sha256 is None:
                raise PdfNotReady(
                    {
                        "message": "the PDF is still being made; try again shortly",
                        "job": f"/api/v1/jobs/{found.pdf_job_id}" if found.pdf_job_id else None,
                    },
                    headers={"Retry-After": "5"},
                )
    doc = ensure_pdf(runtime.sessions, runtime.documents, runtime.converter, document_id, actor)
    assert doc.pdf_storage_key is not None and doc.pdf_sha256 is not None
    return _file_response(runtime, actor, doc, "pdf", doc.pdf_storage_key, PDF_MIME, doc.pdf_sha256)


@router.get(
    "/documents/{document_id}/docx",
    response_class=StreamingResponse,
    responses={200: {"content": {service.DOCX_MIME: {}}, "description": "The issued DOCX"}},
)
def download_docx(
    document_id: DocumentId,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("documents.download"))],
) -> StreamingResponse:
    """The issued DOCX, byte for byte as its SHA-256 says; the read is recorded."""
    with reading(runtime.sessions) as session:
        doc = service.get_document(session, document_id)
    return _file_response(
        runtime, actor, doc, "docx", doc.storage_key, service.DOCX_MIME, doc.sha256
    )
