"""An archivist changes an archive's retention class, with a reason kept in the record."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from archive.objects import ObjectLocked
from archive.retention import lock_period
from archive.storage import ObjectStore
from service import clock
from service.archives import repository
from service.archives.media import set_media_hold, set_media_retention
from service.archives.models import Archive, ArchiveStatus
from service.archives.service import get_archive
from service.audit.service import Actor, record
from service.config import Settings
from service.db import transaction
from service.errors import Conflict, FieldError


class RetentionCannotShorten(Conflict):
    """COMPLIANCE retention can be extended, never shortened — not even by this service."""

    code = "retention_cannot_shorten"


def change_class(
    sessions: sessionmaker[Session],
    settings: Settings,
    store: ObjectStore,
    actor: Actor,
    archive_no: str,
    new_class: str,
    reason: str,
) -> Archive:
    """Move an archive to another class and lock every stored version (in the archive
    ``store``) accordingly."""
    classes = settings.retention_classes
    if new_class not in classes:
        raise FieldError(
            [
                {
                    "field": "class",
                    "label": "保管期限",
                    "message": f"unknown class; one of {', '.join(classes)}",
                }
            ]
        )
    with transaction(sessions) as session:
        archive = get_archive(session, archive_no)
        if archive.status != ArchiveStatus.archived:
            raise Conflict(f"archive {archive_no} is {archive.status}")
        old = archive.retention_class
        expiry, until = lock_period(
            archive.closed_on, classes[new_class], archive.archived_at, clock.LOCAL_TZ
        )
        if archive.retain_until is not None and until is not None and until < archive.retain_until:
            raise RetentionCannotShorten(
                f"{archive_no} is locked until {archive.expires_on}; {new_class} would end "
                f"on {expiry}"
            )
        held = bool(repository.active_holds(session, archive.id))
        try:
            for v in repository.versions(session, archive.id):
                if until is not None:
                    store.set_retention(
                        archive.object_key, "COMPLIANCE", until, version_id=v.version_id
                    )
                store.set_legal_hold(
                    archive.object_key, until is None or held, version_id=v.version_id
                )
            if until is not None:  # audio and video beside the dossier follow its lock
                set_media_retention(store, archive, until)
            set_media_hold(store, archive, until is None or held)
        except ObjectLocked as exc:
            raise RetentionCannotShorten(str(exc)) from exc
        archive.retention_class, archive.expires_on = new_class, expiry
        archive.retain_until = until
        archive.retention_reason = reason
        record(
            session,
            actor,
            "archive.retention",
            "archive",
            archive_no,
            {
                "from": old,
                "to": new_class,
                "reason": reason,
                "expires_on": expiry.isoformat() if expiry else None,
            },
        )
        return archive
