"""Queries for archives (search lives in ``search.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from service.archives.models import (
    Archive,
    ArchiveCheck,
    ArchiveNumber,
    ArchiveStatus,
    ArchiveText,
    ArchiveVersion,
    Hold,
)


def get(session: Session, archive_id: int) -> Archive:
    """The archive with this id (ids come from rows already read: it exists)."""
    return session.get_one(Archive, archive_id)


def delete_text(session: Session, archive_id: int) -> None:
    """Drop a destroyed dossier's text from the search index."""
    session.execute(delete(ArchiveText).where(ArchiveText.archive_id == archive_id))


def get_by_no(session: Session, archive_no: str) -> Archive | None:
    """The archive with this 档号."""
    return session.scalar(select(Archive).where(Archive.archive_no == archive_no))


def get_by_case(session: Session, case_id: int) -> Archive | None:
    """The archive of a case."""
    return session.scalar(select(Archive).where(Archive.case_id == case_id))


def get_by_verify_id(session: Session, verify_id: str) -> Archive | None:
    """The archive a dossier QR token points at."""
    return session.scalar(select(Archive).where(Archive.verify_id == verify_id))


def number_of(session: Session, case_id: int, *, for_update: bool = False) -> ArchiveNumber | None:
    """The 档号 reserved for a case (its row locked with ``for_update``)."""
    return session.get(ArchiveNumber, case_id, with_for_update=for_update)


def all_archives(session: Session) -> list[Archive]:
    """Every archive, by id."""
    return list(session.scalars(select(Archive).order_by(Archive.id)))


def versions(session: Session, archive_id: int) -> list[ArchiveVersion]:
    """The stored versions of a dossier, oldest first."""
    stmt = select(ArchiveVersion).where(ArchiveVersion.archive_id == archive_id)
    return list(session.scalars(stmt.order_by(ArchiveVersion.version_no)))


def all_versions(session: Session) -> list[tuple[ArchiveVersion, Archive]]:
    """Every recorded dossier version with its archive."""
    stmt = select(ArchiveVersion, Archive).join(Archive, Archive.id == ArchiveVersion.archive_id)
    return [(v, a) for v, a in session.execute(stmt)]


def set_text(session: Session, archive_id: int, body: str) -> None:
    """Store (or replace) the dossier's searchable text."""
    row = session.get(ArchiveText, archive_id)
    if row is None:
        session.add(ArchiveText(archive_id=archive_id, body=body))
    else:
        row.body = body


def active_holds(session: Session, archive_id: int) -> list[Hold]:
    """Holds on an archive that are not released."""
    stmt = select(Hold).where(Hold.archive_id == archive_id, Hold.released_at.is_(None))
    return list(session.scalars(stmt.order_by(Hold.id)))


def get_hold(session: Session, hold_id: int, *, for_update: bool = False) -> Hold | None:
    """A hold (row locked with ``for_update``)."""
    return session.get(Hold, hold_id, with_for_update=for_update)


def holds(session: Session, archive_id: int) -> list[Hold]:
    """Every hold an archive has had."""
    return list(
        session.scalars(select(Hold).where(Hold.archive_id == archive_id).order_by(Hold.id))
    )


def due(session: Session, moment: datetime) -> list[Archive]:
    """Archived dossiers whose retention ended by ``moment``: never permanent, never held."""
    held = exists().where(Hold.archive_id == Archive.id, Hold.released_at.is_(None))
    stmt = (
        select(Archive)
        .where(
            Archive.status == ArchiveStatus.archived,
            Archive.retain_until.is_not(None),
            Archive.retain_until <= moment,
            ~held,
        )
        .order_by(Archive.retain_until, Archive.id)
    )
    return list(session.scalars(stmt))


def add_check(session: Session, check: ArchiveCheck) -> None:
    """Record a re-check of a dossier."""
    session.add(check)


def checks(session: Session, archive_id: int, limit: int = 50) -> list[ArchiveCheck]:
    """The latest re-checks of an archive, newest first."""
    stmt = (
        select(ArchiveCheck)
        .where(ArchiveCheck.archive_id == archive_id)
        .order_by(ArchiveCheck.checked_at.desc(), ArchiveCheck.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def count_archived(session: Session) -> int:
    """How many archives hold a dossier (not destroyed)."""
    stmt = select(func.count()).where(Archive.status == ArchiveStatus.archived)
    return int(session.scalar(stmt) or 0)


def least_recently_checked(session: Session, limit: int) -> list[Archive]:
    """Archived dossiers, those re-checked longest ago (or never) first."""
    last = (
        select(ArchiveCheck.archive_id, func.max(ArchiveCheck.checked_at).label("at"))
        .group_by(ArchiveCheck.archive_id)
        .subquery()
    )
    stmt = (
        select(Archive)
        .outerjoin(last, last.c.archive_id == Archive.id)
        .where(Archive.status == ArchiveStatus.archived)
        .order_by(last.c.at.is_not(None), last.c.at, Archive.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
