"""Submitting batches (one job per item) and the job that issues an item."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from archive.objects import StorageError
from doc_templates import FIELD_MODELS
from doc_templates.text_rules import sanitized
from service import clock
from service.audit.service import Actor, record
from service.auth.security import Principal
from service.batches import repository
from service.batches.models import Batch, BatchFormat, BatchItem, ItemStatus
from service.batches.schemas import BatchCreate, BatchItemIn
from service.db import transaction
from service.documents.pdf import ensure_pdf
from service.documents.schemas import DocumentIssue
from service.documents.service import issue_document
from service.errors import DomainError, NotFound
from service.jobs import JobContext, defer_many
from service.jobs.registry import describe, is_permanent
from service.validation import forbidden_problems

log = logging.getLogger(__name__)


def submit(session: Session, actor: Actor, body: BatchCreate) -> Batch:
    """Record a batch and its items, and defer one job per item in the same transaction."""
    p = actor.principal
    batch = Batch(
        format=body.format,
        client_id=p.client_id,
        principal_kind=p.kind,
        principal_id=p.id,
        principal_name=p.name,
        principal_role=p.role,
        request_id=actor.request_id,
        total=len(body.items),
        created_at=clock.now(),
    )
    session.add(batch)
    session.flush()
    items = [_item(batch.id, i, it) for i, it in enumerate(body.items)]
    session.add_all(items)
    if all(item.status == ItemStatus.failed for item in items):
        batch.finished_at = batch.created_at
    session.flush()
    pending = [item for item in items if item.status == ItemStatus.pending]
    job_ids = defer_many(session, "batches.issue_item", [{"item_id": i.id} for i in pending])
    for item, job_id in zip(pending, job_ids, strict=True):
        item.job_id = job_id
    record(session, actor, "batch.submit", "batch", batch.id, {"total": batch.total})
    return batch


def _item(batch_id: int, position: int, it: BatchItemIn) -> BatchItem:
    """A pending item; one whose data holds characters no document can is stored cleaned and
    failed at once with the 422 it would get alone, so that it never reaches a worker."""
    model = FIELD_MODELS.get(it.template)
    found = forbidden_problems(it.data, model, prefix=("data",))
    return BatchItem(
        batch_id=batch_id,
        position=position,
        case_id=it.case_id,
        template=it.template,
        data=sanitized(it.data) if found else it.data,
        status=ItemStatus.failed if found else ItemStatus.pending,
        error={"error": "validation_error", "detail": found} if found else None,
    )


def get_own_batch(session: Session, actor: Actor, batch_id: int) -> Batch:
    """A batch of the calling client; other clients' batches are 404."""
    batch = repository.get(session, batch_id)
    if batch is None or batch.client_id != actor.principal.client_id:
        raise NotFound(f"batch {batch_id} not found")
    return batch


def _actor(batch: Batch) -> Actor:
    principal = Principal(
        batch.principal_kind, batch.principal_id, batch.principal_name, batch.principal_role
    )
    return Actor(principal, request_id=batch.request_id)


def issue_item(ctx: JobContext, item_id: int) -> dict[str, Any]:
    """The job of one item: issue its document (once: a retry replays the idempotency key),
    then, for a PDF batch, make its PDF. A request the service refuses fails its item (the
    job succeeds: retrying cannot help); an unexpected error is retried with back-off and
    fails the item only on the last attempt, so a poison item never holds up the others."""
    runtime = ctx.runtime
    with transaction(runtime.sessions) as session:
        item = repository.item_for_update(session, item_id)
        if item is None or item.status != ItemStatus.pending:
            return {"item_id": item_id, "status": item.status.value if item else "gone"}
        batch = repository.get_existing(session, item.batch_id)
        actor, want_pdf = _actor(batch), batch.format == BatchFormat.pdf
        if item.document_id is None:
            try:
                with session.begin_nested():  # a failed issue rolls back its number only
                    doc, _ = issue_document(
                        session,
                        runtime.settings,
                        runtime.documents,
                        actor,
                        item.case_id,
                        DocumentIssue(template=item.template, data=item.data),
                        idempotency_key=f"batch:{batch.id}:{item.position}",
                        make_pdf=not want_pdf,  # a PDF batch makes it in this job
                    )
                item.document_id = doc.id
            except DomainError as exc:
                if is_permanent(exc) or ctx.last_attempt:
                    item.status, item.error = ItemStatus.failed, describe(exc)
                else:
                    raise
            except Exception as exc:
                if not ctx.last_attempt:
                    raise
                log.exception("batch %s item %s failed for good", batch.id, item.position)
                item.status, item.error = ItemStatus.failed, _internal(exc)
        if item.status == ItemStatus.pending and not want_pdf:
            item.status = ItemStatus.done
        document_id = item.document_id if item.status == ItemStatus.pending else None
        batch_id = batch.id

    if document_id is not None:
        try:
            ensure_pdf(runtime.sessions, runtime.documents, runtime.converter, document_id, actor)
            outcome: tuple[ItemStatus, dict[str, Any] | None] = (ItemStatus.done, None)
        except (DomainError, StorageError) as exc:
            if not (is_permanent(exc) or ctx.last_attempt):
                raise
            outcome = (ItemStatus.failed, describe(exc))
        with transaction(runtime.sessions) as session:
            item = repository.get_item(session, item_id)
            item.status, item.error = outcome

    # after the item's own commit, so that the last item to finish sees every other one
    with transaction(runtime.sessions) as session:
        batch = repository.batch_for_update(session, batch_id)
        if batch.finished_at is None and repository.pending_count(session, batch.id) == 0:
            batch.finished_at = clock.now()
        item = repository.get_item(session, item_id)
        return {"item_id": item_id, "status": item.status.value}


def _internal(exc: BaseException) -> dict[str, Any]:
    return {"error": "internal_error", "detail": "the item could not be issued"}
