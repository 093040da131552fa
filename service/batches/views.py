"""HTTP routes for batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import StreamingResponse

from service.audit.service import Actor, record
from service.batches import files, repository, service
from service.batches.models import ItemStatus
from service.batches.schemas import (
    BatchAccepted,
    BatchCreate,
    BatchItemOut,
    BatchOut,
    ItemDocument,
)
from service.db import reading
from service.deps import BatchId, ReadSessionDep, RuntimeDep, SessionDep, authorize
from service.downloads import record_read

router = APIRouter(prefix="/api/v1/batches", tags=["batches"])
CanRead = Annotated[Actor, Depends(authorize("batches.read"))]


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=BatchAccepted)
def submit_batch(
    body: BatchCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(authorize("batches.create"))],
) -> BatchAccepted:
    """Take on up to 1,000 document requests; poll ``GET /batches/{id}`` for each outcome."""
    batch = service.submit(session, actor, body)
    return BatchAccepted(id=batch.id, total=batch.total)


@router.get("/{batch_id}", response_model=BatchOut)
def get_batch(batch_id: BatchId, session: ReadSessionDep, actor: CanRead) -> BatchOut:
    """Progress of a batch and each item's document or error."""
    batch = service.get_own_batch(session, actor, batch_id)
    items = []
    for item, doc in repository.items_with_documents(session, batch.id):
        document = (
            ItemDocument(id=doc.id, doc_no=doc.doc_no, sha256=doc.sha256, pdf_sha256=doc.pdf_sha256)
            if doc is not None
            else None
        )
        items.append(
            BatchItemOut(
                index=item.position,
                case_id=item.case_id,
                template=item.template,
                status=item.status,
                document=document,
                error=item.error,
                job_id=item.job_id,
            )
        )
    done = sum(1 for i in items if i.status == ItemStatus.done)
    failed = sum(1 for i in items if i.status == ItemStatus.failed)
    return BatchOut(
        id=batch.id,
        format=batch.format,
        total=batch.total,
        done=done,
        failed=failed,
        finished=batch.finished_at is not None,
        created_at=batch.created_at,
        finished_at=batch.finished_at,
        items=items,
    )


@router.get(
    "/{batch_id}/zip",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}, "description": "All produced files"}},
)
def batch_zip(batch_id: BatchId, runtime: RuntimeDep, actor: CanRead) -> StreamingResponse:
    """A ZIP of every file the batch produced so far (items that failed are absent)."""
    with reading(runtime.sessions) as session:
        batch = service.get_own_batch(session, actor, batch_id)
        found = files.entries(session, batch)
    spool = files.spool_zip(runtime.documents, found)  # no transaction open meanwhile
    try:
        record_read(
            runtime.sessions,
            lambda session: record(session, actor, "batch.download", "batch", batch.id, {}),
        )
    except BaseException:
        spool.close()
        raise
    return StreamingResponse(
        files.chunks(spool),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch.id}.zip"'},
    )
