"""Filing a material with a case: checked by its content, stored, then recorded.

Three short steps, none holding a write transaction across the object store:
1. (no transaction) the file is identified and parsed (``archive.materials.probe``), hashed;
   (read) the case must exist and take materials, a repeated ``Idempotency-Key`` replays;
2. (no transaction) the file is put in the documents bucket under a key of its own;
3. (short write) the record and its audit entry, together. If this step fails, the stored
   object is deleted again (an orphan left by a crash has no record and is never served).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid

from sqlalchemy.orm import Session, sessionmaker

from archive.materials import EXTENSIONS, MaterialInvalid, probe
from archive.objects import StorageError
from archive.storage import ObjectStore
from service import clock
from service.audit.service import Actor, record
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case
from service.cases.service import get_case
from service.config import Settings
from service.db import reading, transaction
from service.errors import Conflict, DomainError, FieldError, NotFound
from service.locks import lock_key
from service.materials import repository
from service.materials.models import PARTY_KINDS, Material, MaterialStatus
from service.materials.schemas import MaterialMeta

log = logging.getLogger(__name__)


class MaterialTooLarge(DomainError):
    """The file is over the material size limit."""

    status_code = 413
    code = "payload_too_large"


class IdempotencyConflict(Conflict):
    """This Idempotency-Key was used with a different upload."""

    code = "idempotency_key_reused"


def refuse_file(problem: str, message: str) -> FieldError:
    """The 422 naming the file and what is wrong with it."""
    return FieldError([{"field": "file", "label": "材料文件", "message": message, "type": problem}])


def upload_hash(case_id: int, meta: MaterialMeta, sha256: str) -> str:
    """Fingerprint of an upload, to tell a retry from a different upload."""
    raw = json.dumps(
        {"case_id": case_id, "meta": meta.model_dump(mode="json"), "sha256": sha256},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def default_author(meta: MaterialMeta, case: Case, agency_name: str) -> str:
    """责任者: as given; else the party for the party's own materials, else the agency."""
    if meta.author:
        return meta.author
    return case.party_name if meta.kind in PARTY_KINDS else agency_name


def upload_material(
    sessions: sessionmaker[Session],
    settings: Settings,
    store: ObjectStore,
    actor: Actor,
    case_id: int,
    meta: MaterialMeta,
    filename: str,
    data: bytes,
    idempotency_key: str | None = None,
) -> tuple[Material, bool]:
    """File a material with a case, its file in the documents ``store``;
    ``(material, created)``."""
    if len(data) > settings.material_max_bytes:
        raise MaterialTooLarge(
            f"the file has {len(data)} bytes; materials may have {settings.material_max_bytes}"
        )
    try:
        found = probe(data)
    except MaterialInvalid as exc:
        raise refuse_file(exc.problem, str(exc)) from None
    sha256 = hashlib.sha256(data).hexdigest()
    fingerprint = upload_hash(case_id, meta, sha256)
    client_id = actor.principal.client_id

    with reading(sessions) as session:
        case = get_case(session, case_id)
        if idempotency_key is not None:
            existing = _replay(session, client_id, idempotency_key, fingerprint)
            if existing is not None:
                return existing, False
        next_status(case.status, CaseAction.file)
        case_no, year = case.case_no, case.year

    key = f"materials/{year}/{case_id}/{uuid.uuid4().hex}.{EXTENSIONS[found.format]}"
    stored = store.put(key, data, content_type=found.media_type, metadata={"case-no": case_no})
    try:
        with transaction(sessions) as session:
            case = get_case(session, case_id, for_update=True)
            next_status(case.status, CaseAction.file)  # re-checked under the lock
            if idempotency_key is not None:
                lock_key(session, "material-idem", client_id, idempotency_key)
                existing = _replay(session, client_id, idempotency_key, fingerprint)
                if existing is not None:  # a twin request recorded it meanwhile
                    session.expunge(existing)  # kept as read through the rollback
                    raise _TwinRecorded(existing)  # ours is deleted once the lock is let go
            material = Material(
                case_id=case.id,
                kind=meta.kind,
                title=meta.title,
                made_on=meta.made_on,
                author=default_author(meta, case, settings.agency_name),
                ref_no=meta.ref_no,
                format=found.format,
                filing=found.filing,
                media_type=found.media_type,
                pages=found.pages,
                duration=found.duration,
                filename=filename[:255],
                size=len(data),
                sha256=sha256,
                storage_key=key,
                storage_version=stored.version_id,
                status=MaterialStatus.stored,
                uploaded_at=clock.now(),
                uploaded_by=actor.principal.label,
                client_id=client_id,
                idempotency_key=idempotency_key,
                request_hash=fingerprint,
            )
            session.add(material)
            session.flush()
            record(
                session,
                actor,
                "material.upload",
                "material",
                material.id,
                {
                    "case_no": case.case_no,
                    "kind": meta.kind.value,
                    "title": meta.title,
                    "format": found.format.value,
                    "pages": found.pages,
                    "sha256": sha256,
                    "size": len(data),
                },
            )
            return material, True
    except _TwinRecorded as twin:
        _forget(store, key)
        return twin.material, False
    except BaseException:
        _forget(store, key)
        raise


class _TwinRecorded(Exception):
    """A twin upload (same ``Idempotency-Key``) was recorded first: its record stands."""

    def __init__(self, material: Material) -> None:
        super().__init__(material.id)
        self.material = material


def _replay(session: Session, client_id: str, key: str, fingerprint: str) -> Material | None:
    existing = repository.get_by_idempotency_key(session, client_id, key)
    if existing is not None and existing.request_hash != fingerprint:
        raise IdempotencyConflict("this Idempotency-Key was already used with a different upload")
    return existing


def _forget(store: ObjectStore, key: str) -> None:
    """Delete an object whose record was not written (best effort: it is never served)."""
    try:
        store.delete(key)
    except StorageError as exc:
        log.warning("material object %s left without a record: %s", key, exc)


def get_material(session: Session, material_id: int) -> Material:
    """The material, or 404."""
    material = repository.get(session, material_id)
    if material is None:
        raise NotFound(f"material {material_id} not found")
    return material
