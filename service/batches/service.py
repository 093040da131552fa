"""Submitting batches and processing their items, one transaction per item."""

from __future__ import annotations

import logging
from datetime import timedelta
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
from service.error_handlers import storage_error
from service.errors import DomainError, NotFound
from service.runtime import Runtime
from service.validation import forbidden_problems

log = logging.getLogger(__name__)

# An item claimed longer ago than this is taken to belong to a worker that died.
CLAIM_LEASE = timedelta(minutes=5)


def submit(session: Session, actor: Actor, body: BatchCreate) -> Batch:
    """Record a batch and its items; workers pick them up after commit."""
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


def _error(exc: DomainError) -> dict[str, Any]:
    return {"error": exc.code, "detail": exc.detail}


def process_next(runtime: Runtime) -> bool:
    """Process the oldest unclaimed pending item; False when there is none."""
    with transaction(runtime.sessions) as session:
        item = repository.claim_next(session, clock.now() - CLAIM_LEASE)
        if item is None:
            return False
        item.claimed_at = clock.now()
        item_id = item.id

    with transaction(runtime.sessions) as session:
        item = repository.get_item(session, item_id)
        batch = repository.get_existing(session, item.batch_id)
        actor, want_pdf = _actor(batch), batch.format == BatchFormat.pdf
        try:
            with session.begin_nested():  # a failed issue rolls back its number, not the item
                doc, _ = issue_document(
                    session,
                    runtime.settings,
                    runtime.documents,
                    actor,
                    item.case_id,
                    DocumentIssue(template=item.template, data=item.data),
                    idempotency_key=f"batch:{batch.id}:{item.position}",
                )
            item.document_id = doc.id
            if not want_pdf:
                item.status = ItemStatus.done
        except DomainError as exc:
            item.status, item.error = ItemStatus.failed, _error(exc)
        except StorageError as exc:
            item.status, item.error = ItemStatus.failed, _error(storage_error(exc))
        except Exception:  # a poison item fails alone; it is never retried
            log.exception("batch %s item %s failed", batch.id, item.position)
            item.status = ItemStatus.failed
            item.error = {"error": "internal_error", "detail": "the item could not be issued"}
        document_id = item.document_id if item.status == ItemStatus.pending else None

    if document_id is not None:
        try:
            ensure_pdf(runtime, document_id, actor)
            outcome: tuple[ItemStatus, dict[str, Any] | None] = (ItemStatus.done, None)
        except DomainError as exc:
            outcome = (ItemStatus.failed, _error(exc))
        except StorageError as exc:
            outcome = (ItemStatus.failed, _error(storage_error(exc)))
        with transaction(runtime.sessions) as session:
            item = repository.get_item(session, item_id)
            item.status, item.error = outcome

    with transaction(runtime.sessions) as session:
        item = repository.get_item(session, item_id)
        batch = repository.get_existing(session, item.batch_id)
        if batch.finished_at is None and repository.pending_count(session, batch.id) == 0:
            batch.finished_at = clock.now()
    return True
