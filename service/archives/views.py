"""HTTP routes for archives."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, status
from fastapi.responses import StreamingResponse

from archive.storage import ObjectNotFound, StorageError, content_disposition
from service.archives import repository, service
from service.archives.models import Archive
from service.archives.retention import change_class
from service.archives.schemas import (
    ArchiveDetail,
    ArchiveOut,
    ArchiveRequest,
    ContentsRow,
    PresignedFile,
    RetentionChange,
    VersionOut,
)
from service.audit.service import Actor, record
from service.deps import CaseId, ReadSessionDep, RuntimeDep, SessionDep, authorize
from service.errors import NotFound, ServiceUnavailable
from service.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["archives"])
ArchiveNo = Annotated[str, Path(min_length=1, max_length=64, description="档号")]


def archive_out(runtime: Runtime, a: Archive) -> ArchiveOut:
    """API view of an archive record."""
    cls = runtime.settings.retention_classes.get(a.retention_class)
    return ArchiveOut(
        archive_no=a.archive_no,
        case_id=a.case_id,
        case_no=a.case_no,
        party=a.party_name,
        fonds_no=a.fonds_no,
        year=a.year,
        item_no=a.item_no,
        retention_class=a.retention_class,
        retention_label=cls.label if cls else a.retention_class,
        retention_reason=a.retention_reason,
        closed_on=a.closed_on,
        expires_on=a.expires_on,
        interview_on=a.interview_on,
        status=a.status,
        sha256=a.sha256,
        size=a.size,
        page_count=a.page_count,
        versions=a.versions,
        archived_at=a.archived_at,
        archived_by=a.archived_by,
        verify_url=service.verify_url(runtime.settings, a.verify_id),
    )


@router.post(
    "/cases/{case_id}/archive", status_code=status.HTTP_201_CREATED, response_model=ArchiveOut
)
def archive_case(
    case_id: CaseId,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.create"))],
    body: Annotated[ArchiveRequest | None, Body()] = None,
) -> ArchiveOut:
    """Archive a closed case as one locked PDF dossier; 409 lists what the file lacks."""
    archive = service.archive_case(runtime, actor, case_id, body.reason if body else None)
    return archive_out(runtime, archive)


@router.get("/archives/{archive_no}", response_model=ArchiveDetail)
def get_archive(
    archive_no: ArchiveNo,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    _: Annotated[Actor, Depends(authorize("archives.read"))],
) -> ArchiveDetail:
    """An archive: metadata, its documents, the 四性 report and every stored version."""
    a = service.get_archive(session, archive_no)
    return ArchiveDetail(
        **archive_out(runtime, a).model_dump(),
        documents=[ContentsRow.model_validate(row) for row in a.contents],
        integrity=a.integrity,
        history=[
            VersionOut.model_validate(v, from_attributes=True)
            for v in repository.versions(session, a.id)
        ],
    )


@router.get(
    "/archives/{archive_no}/file",
    response_model=None,
    responses={
        200: {
            "content": {"application/pdf": {}, "application/json": {}},
            "description": "The dossier, or with presigned=true a short-lived URL",
        }
    },
)
def get_archive_file(
    archive_no: ArchiveNo,
    session: SessionDep,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.download"))],
    presigned: Annotated[bool, Query(description="Return a short-lived URL instead")] = False,
) -> StreamingResponse | PresignedFile:
    """The dossier PDF (streamed, or a presigned URL); every read is recorded."""
    a = service.get_archive(session, archive_no)
    if a.status != "archived":
        raise NotFound(f"archive {archive_no} is {a.status}")
    name = f"{a.archive_no}-{a.case_no}.pdf"
    record(
        session,
        actor,
        "archive.read",
        "archive",
        a.archive_no,
        {"presigned": presigned, "version_id": a.version_id},
    )
    try:
        if presigned:
            minutes = runtime.settings.archive_url_minutes
            url = runtime.archive.presigned_get(
                a.object_key,
                expires=timedelta(minutes=minutes),
                version_id=a.version_id,
                filename=name,
            )
            return PresignedFile(url=url, expires_in=minutes * 60)
        chunks = runtime.archive.stream(a.object_key, a.version_id)
    except ObjectNotFound as exc:
        raise NotFound(f"the dossier of {archive_no} is missing from storage") from exc
    except StorageError as exc:
        raise ServiceUnavailable(f"object storage unavailable: {exc}") from exc
    return StreamingResponse(
        chunks,
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(name, f"{a.archive_no}.pdf"),
            "Content-Length": str(a.size),
            "X-Content-SHA256": a.sha256,
        },
    )


@router.post("/archives/{archive_no}/retention", response_model=ArchiveOut)
def change_retention(
    archive_no: ArchiveNo,
    body: RetentionChange,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.retention"))],
) -> ArchiveOut:
    """Change the retention class (with a reason); it can be extended, never shortened."""
    return archive_out(
        runtime, change_class(runtime, actor, archive_no, body.retention_class, body.reason)
    )
