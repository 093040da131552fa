"""Legal section pages: the template catalogue, versions, uploads, activation, specimens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from archive.objects import content_disposition
from doc_templates import CATEGORY_LABELS, all_templates
from service.audit.service import record
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.db import reading, transaction
from service.deps import ReadSessionDep, RuntimeDep, SessionDep
from service.documents.service import resolve_template
from service.errors import FieldError, NotFound
from service.runtime import Runtime
from service.schemas import SafeText
from service.templates import repository, service
from service.templates.models import TemplateVersion
from service.templates.specimens import PDF_MIME, make_specimen_pdf

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
Reader = Annotated[ConsoleUser, Depends(can("templates.read"))]
Code = Annotated[SafeText, Path(min_length=1, max_length=8)]
Version = Annotated[SafeText, Path(min_length=8, max_length=64, pattern="^[0-9a-f]+$")]
VERSION_STATUS = {"draft": "草稿", "active": "启用中", "retired": "已停用"}
SOURCES = {"builtin": "内置", "upload": "上传"}


@router.get("/templates")
def catalogue(request: Request, session: ReadSessionDep, user: Reader) -> Response:
    """The twelve templates, their active version and what waits to be activated."""
    active = repository.active_all(session)
    rows = []
    for t in all_templates():
        versions = repository.versions(session, t.code)
        rows.append(
            {
                "t": t,
                "category": CATEGORY_LABELS.get(t.category, t.category),
                "active": active.get(t.code),
                "count": len(versions),
                "drafts": sum(1 for v in versions if v.status == "draft"),
            }
        )
    return render(request, "templates/catalogue.html", {"rows": rows})


@router.get("/templates/{code}")
def versions(code: Code, request: Request, runtime: RuntimeDep, user: Reader) -> Response:
    """Every version of a template, newest first, with lint findings and specimens."""
    template = resolve_template(code)
    return render(
        request,
        "templates/versions.html",
        {
            "t": template,
            "versions": service.history(
                runtime.sessions, runtime.settings, runtime.documents, template
            ),
            "status_labels": VERSION_STATUS,
            "sources": SOURCES,
        },
    )


@router.post("/templates/{code}/versions")
def upload(
    code: Code,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("templates.upload"))],
    file: Annotated[UploadFile, File()],
    note: Annotated[SafeText, Form(max_length=500)] = "",
) -> Response:
    """Upload a DOCX as a new draft: linted, rendered as a specimen."""
    template = resolve_template(code)
    data = file.file.read(service.MAX_TEMPLATE_BYTES + 1)
    if len(data) > service.MAX_TEMPLATE_BYTES:
        raise FieldError(
            [{"field": "file", "message": "模板文件不能超过 10 MiB", "label": "模板文件"}]
        )
    row, _ = service.upload(
        session,
        runtime.settings,
        runtime.documents,
        user.actor,
        template,
        service.Upload(data, file.filename or "", note.strip()),
    )
    session.commit()
    return RedirectResponse(f"/templates/{template.code}#v-{row.version[:12]}", status_code=303)


@router.post("/templates/{code}/versions/{version}/activate")
def activate(
    code: Code,
    version: Version,
    session: SessionDep,
    user: Annotated[ConsoleUser, Depends(can("templates.activate"))],
) -> Response:
    """Make this version the one new documents use (refused with every lint finding)."""
    template = resolve_template(code)
    service.activate(session, user.actor, template.code, version)
    session.commit()
    return RedirectResponse(f"/templates/{template.code}", status_code=303)


def _row(runtime: Runtime, code: str, ref: str) -> TemplateVersion:
    with reading(runtime.sessions) as session:
        return service.find_version(session, resolve_template(code).code, ref)


@router.get("/templates/{code}/versions/{version}/specimen.pdf")
def specimen_pdf(code: Code, version: Version, runtime: RuntimeDep, user: Reader) -> Response:
    """The version rendered with the sample data (marked 样本), to look at before activating."""
    row = _row(runtime, code, version)
    if row.specimen_docx_key is None:
        raise NotFound("this version could not be rendered: see its findings")
    if row.specimen_pdf_key is None and row.specimen_error is None:
        row = make_specimen_pdf(runtime.sessions, runtime.documents, runtime.converter, row.id)
    if row.specimen_pdf_key is None:
        raise NotFound(f"no specimen PDF: {row.specimen_error}")
    name = f"{row.code}-{row.version[:12]}-specimen.pdf"
    return StreamingResponse(
        runtime.documents.stream(row.specimen_pdf_key),
        media_type=PDF_MIME,
        headers={
            "Content-Disposition": content_disposition(name).replace("attachment", "inline", 1)
        },
    )


@router.get("/templates/{code}/versions/{version}/docx")
def version_docx(code: Code, version: Version, runtime: RuntimeDep, user: Reader) -> Response:
    """The version's DOCX, to edit in Word and upload again (audited)."""
    row = _row(runtime, code, version)
    with transaction(runtime.sessions) as session:
        record(
            session, user.actor, "template.download", "template", f"{row.code}@{row.version[:12]}"
        )
    return StreamingResponse(
        runtime.documents.stream(row.docx_key),
        media_type=service.DOCX_MIME,
        headers={"Content-Disposition": content_disposition(f"{row.code}-{row.version[:12]}.docx")},
    )
