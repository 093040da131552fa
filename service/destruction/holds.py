"""Holds (review, reconsideration, litigation, complaint): no destruction while one is active.

A hold is also an S3 legal hold on every stored version of the dossier, so the store itself
refuses deletion; the legal hold is lifted only when no hold remains and the class is not
permanent.
"""

from __future__ import annotations

from service import clock
from service.archives import repository as archives
from service.archives.models import Archive, ArchiveStatus
from service.archives.service import get_archive
from service.audit.service import Actor, record
from service.db import transaction
from service.destruction import repository
from service.destruction.models import Hold, HoldKind
from service.errors import Conflict, NotFound
from service.runtime import Runtime


def set_store_hold(runtime: Runtime, archive: Archive, on: bool) -> None:
    """Set or lift the S3 legal hold on every stored version of the dossier."""
    for v in archives.versions_of(runtime, archive):
        runtime.archive.set_legal_hold(archive.object_key, on, version_id=v)


def place_hold(
    runtime: Runtime, actor: Actor, archive_no: str, kind: HoldKind, reason: str
) -> Hold:
    """Put a hold on an archive (and the legal hold on its dossier)."""
    with transaction(runtime.sessions) as session:
        archive = get_archive(session, archive_no)
        if archive.status != ArchiveStatus.archived:
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
        set_store_hold(runtime, archive, True)
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
    runtime: Runtime, actor: Actor, archive_no: str, hold_id: int, reason: str
) -> Hold:
    """Release a hold; the store's legal hold goes only when nothing else needs it."""
    with transaction(runtime.sessions) as session:
        archive = get_archive(session, archive_no)
        hold = session.get(Hold, hold_id, with_for_update=True)
        if hold is None or hold.archive_id != archive.id:
            raise NotFound(f"hold {hold_id} of {archive_no} not found")
        if hold.released_at is not None:
            raise Conflict(f"hold {hold_id} was already released")
        hold.released_at, hold.released_by = clock.now(), actor.principal.label
        hold.release_reason = reason
        session.flush()
        if not repository.active_holds(session, archive.id) and archive.retain_until is not None:
            set_store_hold(runtime, archive, False)
        record(
            session,
            actor,
            "archive.hold_release",
            "archive",
            archive_no,
            {"hold_id": hold.id, "reason": reason},
        )
        return hold
