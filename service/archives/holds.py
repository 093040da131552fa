"""Holds (review, reconsideration, litigation, complaint): no destruction while one is active.

A hold is also an S3 legal hold on every stored version of the dossier, so the store itself
refuses deletion; the legal hold is lifted only when no hold remains and the class is not
permanent. The store is changed outside any transaction, in the order that is safe when a
step fails: the legal hold goes on *before* the hold is recorded, and comes off only *after*
the release is recorded (a failure leaves an extra legal hold, never a missing one;
``anjuan archive reconcile`` lifts extras).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from archive.objects import StorageError
from archive.storage import ObjectStore
from service import clock
from service.archives import repository as archives
from service.archives.media import set_media_hold
from service.archives.models import Archive, ArchiveStatus, Hold, HoldKind
from service.archives.service import get_archive
from service.audit.service import Actor, record
from service.db import reading, transaction
from service.errors import Conflict, NotFound

log = logging.getLogger(__name__)


def dossier_versions(store: ObjectStore, archive: Archive) -> list[str | None]:
    """Version ids of the dossier object as the archive ``store`` lists them (the truth for
    locking)."""
    return [
        v.version_id
        for v in store.list_versions(archive.object_key)
        if v.key == archive.object_key and not v.is_delete_marker
    ]


def set_store_hold(store: ObjectStore, archive: Archive, on: bool) -> None:
    """Set or lift the S3 legal hold on every stored version of the dossier, and on its
    audio and video objects, in the archive ``store``."""
    for v in dossier_versions(store, archive):
        store.set_legal_hold(archive.object_key, on, version_id=v)
    set_media_hold(store, archive, on)


def place_hold(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    actor: Actor,
    archive_no: str,
    kind: HoldKind,
    reason: str,
) -> Hold:
    """Put a hold on an archive: the store's legal hold first, then the record."""
    with reading(sessions) as session:
        archive = get_archive(session, archive_no)
        if archive.status != ArchiveStatus.archived:
            raise Conflict(f"archive {archive_no} is {archive.status}")
    set_store_hold(store, archive, True)
    with transaction(sessions) as session:
        archive = get_archive(session, archive_no)
        if archive.status != ArchiveStatus.archived:  # destroyed meanwhile
            raise Conflict(f"archive {archive_no} is {archive.status}")
        hold = Hold(
            archive_id=archive.id,
            kind=kind,
            reason=reason,
            placed_by=actor.principal.label,
            placed_at=clock.now(),
        )
        session.add(hold)
        session.flush()
        record(
            session,
            actor,
            "archive.hold",
            "archive",
            archive_no,
            {"hold_id": hold.id, "kind": kind.value, "reason": reason},
        )
        return hold


def release_hold(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    actor: Actor,
    archive_no: str,
    hold_id: int,
    reason: str,
) -> Hold:
    """Release a hold: the record first; the store's legal hold goes only when nothing else
    needs it (checked again after lifting, in case a hold was placed meanwhile)."""
    with transaction(sessions) as session:
        archive = get_archive(session, archive_no)
        hold = archives.get_hold(session, hold_id, for_update=True)
        if hold is None or hold.archive_id != archive.id:
            raise NotFound(f"hold {hold_id} of {archive_no} not found")
        if hold.released_at is not None:
            raise Conflict(f"hold {hold_id} was already released")
        hold.released_at, hold.released_by = clock.now(), actor.principal.label
        hold.release_reason = reason
        session.flush()
        lift = not archives.active_holds(session, archive.id) and archive.retain_until is not None
        record(
            session,
            actor,
            "archive.hold_release",
            "archive",
            archive_no,
            {"hold_id": hold.id, "reason": reason},
        )
    if lift:
        try:
            set_store_hold(store, archive, False)
            with reading(sessions) as session:
                if archives.active_holds(session, archive.id):  # placed while we lifted
                    set_store_hold(store, archive, True)
        except StorageError as exc:
            # The release is recorded; the store keeping its legal hold is the safe side.
            log.warning("%s: legal hold not lifted (%s); reconcile will lift it", archive_no, exc)
    return hold
