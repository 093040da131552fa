"""HTTP routes for batches."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.responses import StreamingResponse

from service.audit.service import Actor, record
from service.batches import repository, service
from service.batches.models import BatchFormat, ItemStatus
from service.batches.schemas import (
    BatchAccepted,
    BatchCreate,
    BatchItemOut,
    BatchOut,
    ItemDocument,
)
from service.deps import BatchId, ReadSessionDep, RuntimeDep, SessionDep, authorize

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
def batch_zip(
    batch_id: BatchId, session: SessionDep, runtime: RuntimeDep, actor: CanRead
) -> StreamingResponse:
    """A ZIP of every file the batch produced so far (items that failed are absent)."""
    batch = service.get_own_batch(session, actor, batch_id)
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as z:
            for item, doc in repository.items_with_documents(session, batch.id):
                if doc is None or item.status != ItemStatus.done:
                    continue
                stem = f"{item.position:04d}-{doc.template_code}-{doc.doc_no}"
                z.writestr(f"{stem}.docx", runtime.documents.get(doc.storage_key))
                if batch.format == BatchFormat.pdf and doc.pdf_storage_key:
                    z.writestr(f"{stem}.pdf", runtime.documents.get(doc.pdf_storage_key))
    except BaseException:
        spool.close()
        raise
    record(session, actor, "batch.download", "batch", batch.id, {})
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(256 * 1024):
                yield block

    return StreamingResponse(
        chunks(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch.id}.zip"'},
    )
