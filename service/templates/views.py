"""HTTP routes for template versions: list, upload, look at, activate."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from archive.objects import content_disposition
from service.audit.service import Actor, record
from service.db import reading, transaction
from service.deps import ReadSessionDep, RuntimeDep, SessionDep, TemplateCode, authorize
from service.documents.pdf import PdfNotReady
from service.documents.service import resolve_template
from service.errors import FieldError, NotFound
from service.openapi import errors
from service.runtime import Runtime
from service.schemas import SafeText
from service.templates import service
from service.templates.models import TemplateVersion
from service.templates.schemas import LintFinding, TemplateVersionOut, VersionLinks
from service.templates.specimens import PDF_MIME, make_specimen_pdf

router = APIRouter(prefix="/api/v1/templates", tags=["templates"])

CanRead = Annotated[Actor, Depends(authorize("templates.read"))]
VersionRef = Annotated[
    SafeText,
    Path(
        min_length=service.MIN_PREFIX,
        max_length=64,
        pattern="^[0-9a-f]+$",
        description="The version hash, or a unique prefix of 8+ hex digits",
    ),
]
_CHUNK = 1024 * 1024
TEMPLATE_UPLOAD_PATH = re.compile(r"/api/v1/templates/[^/]+/versions")


def version_out(row: TemplateVersion) -> TemplateVersionOut:
    """API view of a version."""
    base = f"/api/v1/templates/{row.code}/versions/{row.version}"
    return TemplateVersionOut(
        code=row.code,
        version=row.version,
        status=row.status,
        source=row.source,
        filename=row.filename,
        note=row.note,
        size=row.size,
        sha256=row.docx_sha256,
        findings=[LintFinding.model_validate(f) for f in row.lint],
        activatable=not row.lint and not row.specimen_error,
        specimen_error=row.specimen_error,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
        activated_by=row.activated_by,
        activated_at=row.activated_at,
        retired_at=row.retired_at,
        links=VersionLinks(
            docx=f"{base}/docx",
            specimen_docx=f"{base}/specimen.docx" if row.specimen_docx_key else None,
            specimen_pdf=f"{base}/specimen.pdf" if row.specimen_docx_key else None,
            activate=f"{base}/activate",
        ),
    )


@router.get("/{code}/versions", response_model=list[TemplateVersionOut])
def list_versions(code: TemplateCode, runtime: RuntimeDep, _: CanRead) -> list[TemplateVersionOut]:
    """Every version of a template, newest first: the built-in ones and every upload, with
    their status (``draft``, ``active``, ``retired``) and lint findings. Nothing is deleted."""
    template = resolve_template(code)
    rows = service.history(runtime.sessions, runtime.settings, runtime.documents, template)
    return [version_out(row) for row in rows]


@router.post(
    "/{code}/versions",
    status_code=status.HTTP_201_CREATED,
    response_model=TemplateVersionOut,
    responses={200: {"model": TemplateVersionOut, "description": "This version exists"}},
)
def upload_version(
    code: TemplateCode,
    response: Response,
    session: SessionDep,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("templates.upload"))],
    file: Annotated[
        UploadFile,
        File(description="The template as a Word DOCX", json_schema_extra={"format": "binary"}),
    ],
    note: Annotated[SafeText, Form(max_length=500, title="修改说明")] = "",
) -> TemplateVersionOut:
    """Upload a DOCX (edited in Word, say) as a new **draft** version (201): it is linted —
    tags split across runs, unknown variables, required fields unused, fonts outside the
    official set, the QR slot — and rendered with the sample data as a specimen DOCX (its PDF
    follows from a job). The same file again answers 200 with the existing version."""
    template = resolve_template(code)
    data = bytearray()
    while chunk := file.file.read(_CHUNK):
        data += chunk
        if len(data) > service.MAX_TEMPLATE_BYTES:
            raise FieldError(
                [
                    {
                        "field": "file",
                        "message": "a template DOCX is at most 10 MiB",
                        "type": "too_large",
                        "label": "模板文件",
                    }
                ]
            )
    row, created = service.upload(
        session,
        runtime.settings,
        runtime.documents,
        actor,
        template,
        service.Upload(bytes(data), file.filename or "", note),
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return version_out(row)


@router.get("/{code}/versions/{version}", response_model=TemplateVersionOut)
def get_version(
    code: TemplateCode, version: VersionRef, session: ReadSessionDep, _: CanRead
) -> TemplateVersionOut:
    """One version: status, lint findings, who uploaded and activated it, its files."""
    return version_out(service.find_version(session, resolve_template(code).code, version))


@router.post(
    "/{code}/versions/{version}/activate",
    response_model=TemplateVersionOut,
    responses=errors(409),
)
def activate_version(
    code: TemplateCode,
    version: VersionRef,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("templates.activate"))],
) -> TemplateVersionOut:
    """Make this version the one new documents are rendered with; the active one retires
    (documents it rendered keep pointing at it and stay authentic). A version with lint
    findings is refused: 409 ``template_has_findings`` listing every one. Activating an
    older version rolls back. Audited (``template.activate``)."""
    return version_out(service.activate(session, actor, resolve_template(code).code, version))


def _stream(runtime: Runtime, key: str, media_type: str, name: str) -> StreamingResponse:
    stat = runtime.documents.stat(key)
    return StreamingResponse(
        runtime.documents.stream(key),
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "Content-Length": str(stat.size),
        },
    )


def _row(runtime: Runtime, code: str, ref: str) -> TemplateVersion:
    with reading(runtime.sessions) as session:
        return service.find_version(session, resolve_template(code).code, ref)


@router.get(
    "/{code}/versions/{version}/docx",
    response_class=StreamingResponse,
    responses={200: {"content": {service.DOCX_MIME: {}}, "description": "The template DOCX"}},
)
def download_version(
    code: TemplateCode, version: VersionRef, runtime: RuntimeDep, actor: CanRead
) -> StreamingResponse:
    """The version's DOCX as uploaded, to edit in Word and upload again."""
    row = _row(runtime, code, version)
    with transaction(runtime.sessions) as session:
        record(session, actor, "template.download", "template", f"{row.code}@{row.version[:12]}")
    return _stream(runtime, row.docx_key, service.DOCX_MIME, f"{row.code}-{row.version[:12]}.docx")


@router.get(
    "/{code}/versions/{version}/specimen.{fmt}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {service.DOCX_MIME: {}, PDF_MIME: {}}, "description": "The specimen"},
        **errors(502),
    },
)
def specimen(
    code: TemplateCode,
    version: VersionRef,
    fmt: Annotated[SafeText, Path(pattern="^(docx|pdf)$", description="docx or pdf")],
    runtime: RuntimeDep,
    _: CanRead,
) -> StreamingResponse:
    """The version rendered with the template's sample data, marked 样本, to look at before
    activating it. The PDF is made by a job after the upload (or now, where this process
    runs LibreOffice; otherwise 503 ``pdf_not_ready`` until it is made)."""
    row = _row(runtime, code, version)
    if row.specimen_docx_key is None:
        raise NotFound("this version could not be rendered: see its findings")
    name = f"{row.code}-{row.version[:12]}-specimen.{fmt}"
    if fmt == "docx":
        return _stream(runtime, row.specimen_docx_key, service.DOCX_MIME, name)
    if row.specimen_pdf_key is None and row.specimen_error is None:
        if not runtime.settings.pdf_on_demand:
            raise PdfNotReady(
                "the specimen PDF is still being made; try again shortly",
                headers={"Retry-After": "5"},
            )
        row = make_specimen_pdf(runtime.sessions, runtime.documents, runtime.converter, row.id)
    if row.specimen_pdf_key is None:
        raise NotFound(f"no specimen PDF: {row.specimen_error}")
    return _stream(runtime, row.specimen_pdf_key, PDF_MIME, name)
