"""Queries for destruction lists and the register."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.archives.models import Archive
from service.destruction.models import (
    DestructionItem,
    DestructionList,
    ListStatus,
    RegisterEntry,
    SupervisorConfirmation,
)

OPEN_LIST = (ListStatus.proposed, ListStatus.approved, ListStatus.executing)


def open_list_of(session: Session, archive_id: int) -> DestructionList | None:
    """The open destruction list an archive is already on, if any."""
    stmt = (
        select(DestructionList)
        .join(DestructionItem, DestructionItem.list_id == DestructionList.id)
        .where(DestructionItem.archive_id == archive_id, DestructionList.status.in_(OPEN_LIST))
    )
    return session.scalars(stmt).first()


def get_item(session: Session, item_id: int) -> DestructionItem:
    """A list's item (ids come from rows already read: it exists)."""
    return session.get_one(DestructionItem, item_id)


def get_list(session: Session, list_id: int, *, for_update: bool = False) -> DestructionList | None:
    """A destruction list (row locked with ``for_update``)."""
    return session.get(DestructionList, list_id, with_for_update=for_update)


def lists(session: Session) -> list[DestructionList]:
    """Every destruction list, newest first."""
    return list(session.scalars(select(DestructionList).order_by(DestructionList.id.desc())))


def items(session: Session, list_id: int) -> list[tuple[DestructionItem, Archive]]:
    """A list's items with their archives."""
    stmt = (
        select(DestructionItem, Archive)
        .join(Archive, Archive.id == DestructionItem.archive_id)
        .where(DestructionItem.list_id == list_id)
        .order_by(DestructionItem.id)
    )
    return [(i, a) for i, a in session.execute(stmt)]


def confirmations(session: Session, list_id: int) -> list[SupervisorConfirmation]:
    """Supervisors' confirmations of a list, in order."""
    stmt = select(SupervisorConfirmation).where(SupervisorConfirmation.list_id == list_id)
    return list(session.scalars(stmt.order_by(SupervisorConfirmation.id)))


def register(session: Session, limit: int, offset: int) -> list[RegisterEntry]:
    """Register entries, newest first."""
    stmt = select(RegisterEntry).order_by(RegisterEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt))


def register_entry_for(session: Session, archive_id: int) -> RegisterEntry | None:
    """The register entry of a destroyed archive."""
    return session.scalar(select(RegisterEntry).where(RegisterEntry.archive_id == archive_id))
