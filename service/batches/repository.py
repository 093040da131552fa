"""Queries for batches."""

from __future__ import annotations

from sqlalchemy import func, select
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


def item_for_update(session: Session, item_id: int) -> BatchItem | None:
    """A batch item, locked while its job works on it."""
    return session.scalars(
        select(BatchItem).where(BatchItem.id == item_id).with_for_update()
    ).first()


def batch_for_update(session: Session, batch_id: int) -> Batch:
    """A batch (known to exist), locked to mark it finished."""
    return session.scalars(select(Batch).where(Batch.id == batch_id).with_for_update()).one()


def pending_count(session: Session, batch_id: int) -> int:
    """How many items of a batch are still pending."""
    stmt = select(func.count()).where(
        BatchItem.batch_id == batch_id, BatchItem.status == ItemStatus.pending
    )
    return int(session.scalar(stmt) or 0)
