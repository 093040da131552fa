"""Materials at archiving: their files read back, audio and video stored beside the dossier
under its lock, and the locks of those objects checked, extended or lifted with the dossier's.

Audio and video are not embedded in the dossier: each is an object of its own in the archive
bucket (``media/{年度}/{档号}/{material id}.{ext}``), one version, written once and reused by
later versions of the dossier; the dossier's manifest names its key, version and SHA-256.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from archive.integrity import IntegrityReport, check_security
from archive.materials import EXTENSIONS
from archive.materials import Filing as MaterialFiling
from archive.objects import ObjectNotFound, StoredObject
from archive.storage import ObjectStore
from service.archives.assembly import CaseFacts, MaterialPart, Placement
from service.archives.models import Archive
from service.materials.models import Material


def read_materials(documents: ObjectStore, filed: list[Material]) -> list[bytes]:
    """Archiving step 3c: every material's file read back from the documents bucket."""
    with ThreadPoolExecutor(4, thread_name_prefix="archive-read") as ex:
        return list(ex.map(lambda m: documents.get(m.storage_key), filed))


def media_key(archive_no: str, year: int, material: Material) -> str:
    """Readable object key of an audio or video material beside its dossier."""
    return f"media/{year}/{archive_no}/{material.id}.{EXTENSIONS[material.format]}"


def store_media(
    store: ObjectStore,
    place: Placement,
    facts: CaseFacts,
    materials: list[Material],
    files: list[bytes],
) -> list[MaterialPart]:
    """Archiving step 3d (no transaction): audio and video into the archive ``store`` under the
    dossier's lock, before the dossier (whose manifest names their versions). A copy stored
    by an earlier attempt or version is reused, so a retry writes no second locked copy."""
    until = place.retain_until
    parts = []
    for m, data in zip(materials, files, strict=True):
        if m.filing is not MaterialFiling.separate:
            parts.append(MaterialPart(m, data))
            continue
        key = media_key(place.archive_no, facts.closed_on.year, m)
        stored = _existing_copy(store, key, m) or store.put(
            key,
            data,
            content_type=m.media_type,
            metadata={"archive-no": place.archive_no, "case-no": facts.case_no},
            retention=("COMPLIANCE", until) if until else None,
            legal_hold=until is None,
        )
        parts.append(MaterialPart(m, data, stored))
    return parts


def _existing_copy(store: ObjectStore, key: str, material: Material) -> StoredObject | None:
    version = material.archive_version if material.archive_key == key else None
    try:
        info = store.stat(key, version)
    except ObjectNotFound:
        return None
    if info.sha256 != material.sha256:
        return None
    return StoredObject(key, info.version_id, info.etag, material.sha256, info.size)


def check_media_security(
    store: ObjectStore, report: IntegrityReport, parts: list[MaterialPart], until: datetime | None
) -> None:
    """Security of each audio or video object: versioned and locked as the dossier is."""
    for part in parts:
        if part.media is not None:
            check_object_lock(
                store, report, part.material.title, part.media.key, part.media.version_id, until
            )


def check_object_lock(
    store: ObjectStore,
    report: IntegrityReport,
    title: str,
    key: str,
    version_id: str | None,
    until: datetime | None,
) -> None:
    """``check_security`` for one media object; its findings name the material."""
    media = IntegrityReport(checked_at=report.checked_at)
    check_security(media, store, key, version_id, until, until is None)
    for f in media.findings:
        report.add(f.aspect, f.code, f"material {title}: {f.message}")


def media_objects(archive: Archive) -> list[tuple[str, str | None]]:
    """(key, version id) of the audio and video objects the archive record lists."""
    rows: list[dict[str, Any]] = archive.materials or []
    return [(r["object_key"], r.get("version_id")) for r in rows if r.get("object_key")]


def set_media_hold(store: ObjectStore, archive: Archive, on: bool) -> None:
    """Set or lift the S3 legal hold on the archive's audio and video objects."""
    for key, version_id in media_objects(archive):
        store.set_legal_hold(key, on, version_id=version_id)


def set_media_retention(store: ObjectStore, archive: Archive, until: datetime) -> None:
    """Extend the COMPLIANCE retention of the archive's audio and video objects."""
    for key, version_id in media_objects(archive):
        store.set_retention(key, "COMPLIANCE", until, version_id=version_id)
