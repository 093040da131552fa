"""Queries for batches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.batches.models import Batch, BatchItem, ItemStatus
from service.documents.models import Document


def get(session: Session, batch_id: int) -> Batch | None:
    """The batch with ``batch_id``."""
    return session.get(Batch, batch_id)


def get_existing(session: Session, batch_id: int) -> Batch:
    """A batch known to exist (an item's)."""
    return session.get_one(Batch, batch_id)


def get_item(session: Session, item_id: int) -> BatchItem:
    """A batch item (ids come from rows already read: it exists)."""
    return session.get_one(BatchItem, item_id)


def items_with_documents(
    session: Session, batch_id: int
) -> list[tuple[BatchItem, Document | None]]:
    """A batch's items in order, each with the document it produced."""
    stmt = (
        select(BatchItem, Document)
        .outerjoin(Document, Document.id == BatchItem.document_id)
        .where(BatchItem.batch_id == batch_id)
        .order_by(BatchItem.position)
    )
    return [(item, doc) for item, doc in session.execute(stmt)]


def claim_next(session: Session, stale_before: datetime) -> BatchItem | None:
    """Lock the oldest pending item nobody works on (or whose worker died before
    ``stale_before``), skipping rows other workers hold."""
    stmt = (
        select(BatchItem)
        .where(
            BatchItem.status == ItemStatus.pending,
            or_(BatchItem.claimed_at.is_(None), BatchItem.claimed_at < stale_before),
        )
        .order_by(BatchItem.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(stmt).first()


def pending_count(session: Session, batch_id: int) -> int:
    """How many items of a batch are still pending."""
    stmt = select(func.count()).where(
        BatchItem.batch_id == batch_id, BatchItem.status == ItemStatus.pending
    )
    return int(session.scalar(stmt) or 0)
