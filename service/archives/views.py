"""HTTP routes for archives."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from archive.objects import content_disposition
from service import clock
from service.archives import holds, repository, service
from service.archives.jobs import queue_archiving
from service.archives.models import Archive, ArchiveStatus
from service.archives.retention import change_class
from service.archives.schemas import (
    ArchiveDetail,
    ArchiveHitOut,
    ArchiveOut,
    ArchivePage,
    ArchiveRequest,
    CheckOut,
    ContentsRow,
    DueArchive,
    HoldCreate,
    HoldOut,
    HoldRelease,
    MaterialRow,
    PresignedFile,
    RetentionChange,
    VersionOut,
)
from service.archives.search import ArchiveQuery, search
from service.audit.service import Actor, record
from service.db import reading
from service.deps import (
    ArchiveNo,
    CaseId,
    HoldId,
    ReadSessionDep,
    RuntimeDep,
    SessionDep,
    authorize,
)
from service.destruction.repository import open_list_of, register_entry_for
from service.downloads import record_read
from service.errors import NotFound
from service.jobs.schemas import JobOut, JobState
from service.jobs.service import JobFailed, wait_for
from service.openapi import errors
from service.runtime import Runtime
from service.schemas import OptionalSafeText, SafeText

router = APIRouter(prefix="/api/v1", tags=["archives"])


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
    "/cases/{case_id}/archive",
    status_code=status.HTTP_201_CREATED,
    response_model=ArchiveOut,
    responses={
        200: {"model": ArchiveOut, "description": "Unchanged since it was archived: the record"},
        202: {
            "model": JobOut,
            "description": "Still archiving (or `Prefer: respond-async`): the job, to follow "
            "at its Location",
        },
        **errors(409, 500, 502),
    },
)
def archive_case(
    case_id: CaseId,
    response: Response,
    session: SessionDep,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.create"))],
    body: Annotated[ArchiveRequest | None, Body()] = None,
    prefer: Annotated[
        str | None,
        Header(max_length=200, description="`respond-async`: answer 202 at once, do not wait"),
    ] = None,
) -> ArchiveOut | JSONResponse:
    """Archive a closed case as one locked PDF dossier. The dossier is built by a job (on
    whichever worker runs it); the request waits for it up to ``ANJUAN_ARCHIVE_WAIT_SECONDS``
    and answers 201 with the archive, or 202 with the job if it is still running (at once
    with ``Prefer: respond-async``). When nothing changed since it was archived, the
    existing record (200) and no job; 409 lists what the file lacks."""
    existing = service.plan(runtime.sessions, runtime.settings, case_id)
    if existing is not None:
        response.status_code = status.HTTP_200_OK
        return archive_out(runtime, existing)
    job_id = queue_archiving(session, actor, case_id, body.reason if body else None)
    session.commit()  # the job exists before we wait for it
    wait = 0.0 if prefer and "respond-async" in prefer else runtime.settings.archive_wait_seconds
    job = wait_for(runtime.sessions, job_id, wait)
    if job.status == JobState.succeeded:
        with reading(runtime.sessions) as read:
            archive = service.get_archive(read, str((job.result or {})["archive_no"]))
        if not (job.result or {}).get("created", True):
            response.status_code = status.HTTP_200_OK
        return archive_out(runtime, archive)
    if job.status in (JobState.failed, JobState.cancelled):
        raise JobFailed(job)
    return JSONResponse(
        job.model_dump(mode="json"),
        status_code=status.HTTP_202_ACCEPTED,
        headers={"Location": f"/api/v1/jobs/{job.id}"},
    )


@router.get("/archives", response_model=ArchivePage)
def search_archives(
    session: ReadSessionDep,
    runtime: RuntimeDep,
    _: Annotated[Actor, Depends(authorize("archives.read"))],
    q: Annotated[OptionalSafeText, Query(max_length=200, description="中文全文检索")] = None,
    case_no: Annotated[OptionalSafeText, Query(max_length=64)] = None,
    party: Annotated[OptionalSafeText, Query(max_length=200)] = None,
    date_from: Annotated[date | None, Query(alias="from", description="结案日期起")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="结案日期止")] = None,
    retention_class: Annotated[OptionalSafeText, Query(alias="class", max_length=8)] = None,
    status_: Annotated[ArchiveStatus | None, Query(alias="status")] = None,
    expires_before: Annotated[date | None, Query()] = None,
    sort: Annotated[SafeText, Query(max_length=20)] = "-archived_at",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ArchivePage:
    """Search archives: Chinese full text (``q``, snippet highlighted) and filters."""
    query = ArchiveQuery(
        q=q,
        case_no=case_no,
        party=party,
        date_from=date_from,
        date_to=date_to,
        retention_class=retention_class,
        status=status_.value if status_ else None,
        expires_before=expires_before,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    hits, total = search(session, query)
    items = []
    for hit in hits:
        entry = register_entry_for(session, hit.archive.id)
        items.append(
            ArchiveHitOut(
                **archive_out(runtime, hit.archive).model_dump(),
                snippet=hit.snippet,
                register_id=entry.id if entry else None,
                destruction_list_no=entry.list_no if entry else None,
            )
        )
    return ArchivePage(total=total, limit=limit, offset=offset, items=items)


@router.get("/archives/due", response_model=list[DueArchive])
def due_archives(
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("archives.due"))],
    as_of: Annotated[
        date | None,
        Query(description="Judge expiry at the end of this day (default: now), for planning"),
    ] = None,
) -> list[DueArchive]:
    """Archives whose retention has ended (by now, or by the end of ``as_of``): never
    permanent ones, never held ones."""
    moment = (
        datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=clock.LOCAL_TZ)
        if as_of
        else clock.now()
    )
    out = []
    for a in repository.due(session, moment):
        listed = open_list_of(session, a.id)
        out.append(
            DueArchive(
                archive_no=a.archive_no,
                case_no=a.case_no,
                party=a.party_name,
                retention_class=a.retention_class,
                closed_on=a.closed_on,
                expires_on=a.expires_on,
                retain_until=a.retain_until,
                on_list=listed.list_no if listed else None,
            )
        )
    return out


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
        materials=[MaterialRow.model_validate(row) for row in a.materials or []],
        integrity=a.integrity,
        history=[
            VersionOut.model_validate(v, from_attributes=True)
            for v in repository.versions(session, a.id)
        ],
        checks=[
            CheckOut.model_validate(c, from_attributes=True)
            for c in repository.checks(session, a.id)
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
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.download"))],
    presigned: Annotated[bool, Query(description="Return a short-lived URL instead")] = False,
) -> StreamingResponse | PresignedFile:
    """The dossier PDF (streamed, or a presigned URL); every read is recorded, committed
    before the first byte or the URL leaves."""
    with reading(runtime.sessions) as session:
        a = service.get_archive(session, archive_no)
    if a.status != "archived":
        raise NotFound(f"archive {archive_no} is {a.status}")
    name = f"{a.archive_no}-{a.case_no}.pdf"
    record_read(
        runtime.sessions,
        lambda session: record(
            session,
            actor,
            "archive.read",
            "archive",
            a.archive_no,
            {"presigned": presigned, "version_id": a.version_id},
        ),
    )
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
        runtime,
        change_class(
            runtime.sessions,
            runtime.settings,
            runtime.archive,
            actor,
            archive_no,
            body.retention_class,
            body.reason,
        ),
    )


@router.get("/archives/{archive_no}/holds", response_model=list[HoldOut])
def list_holds(
    archive_no: ArchiveNo,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("archives.read"))],
) -> list[HoldOut]:
    """Every hold an archive has had."""
    archive = service.get_archive(session, archive_no)
    return [
        HoldOut.model_validate(h, from_attributes=True)
        for h in repository.holds(session, archive.id)
    ]


@router.post(
    "/archives/{archive_no}/holds", status_code=status.HTTP_201_CREATED, response_model=HoldOut
)
def place_hold(
    archive_no: ArchiveNo,
    body: HoldCreate,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.hold"))],
) -> HoldOut:
    """Hold an archive (and its dossier, by an S3 legal hold) against destruction."""
    hold = holds.place_hold(
        runtime.sessions, runtime.archive, actor, archive_no, body.kind, body.reason
    )
    return HoldOut.model_validate(hold, from_attributes=True)


@router.post("/archives/{archive_no}/holds/{hold_id}/release", response_model=HoldOut)
def release_hold(
    archive_no: ArchiveNo,
    hold_id: HoldId,
    body: HoldRelease,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("archives.hold"))],
) -> HoldOut:
    """Release a hold, with a reason; the releasing user is recorded."""
    hold = holds.release_hold(
        runtime.sessions, runtime.archive, actor, archive_no, hold_id, body.reason
    )
    return HoldOut.model_validate(hold, from_attributes=True)
