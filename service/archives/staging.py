"""What a dossier build will record, written down before its upload, so that a build killed
between storing the dossier and recording it is finished from the stored version instead of
storing a second, locked copy (archiving is a job: it is run again after its worker dies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.integrity import ASPECTS, IntegrityReport, check_security
from archive.objects import StoredObject
from archive.storage import ObjectStore
from doc_templates.text import docx_text
from service import clock
from service.archives import repository
from service.archives.assembly import Built, MaterialPart, Placement
from service.db import transaction


@dataclass(frozen=True)
class Staged:
    """Everything the record of a built dossier holds, without the dossier's bytes."""

    fingerprint: str
    archive_no: str
    key: str
    sha256: str
    size: int
    page_count: int
    interview_on: date | None
    expires_on: date | None
    retain_until: datetime | None
    contents: list[dict[str, Any]]
    integrity: dict[str, Any]
    integrity_ok: bool
    text: str
    materials: list[dict[str, Any]] = field(default_factory=list)
    # [material id, key, version id] of each audio or video copy stored beside the dossier
    media: list[list[Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """JSON form, as kept on the 档号 reservation."""
        out = asdict(self)
        for name in ("interview_on", "expires_on", "retain_until"):
            value = out[name]
            out[name] = value.isoformat() if value is not None else None
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Staged:
        """The ``as_json`` form read back."""
        values = dict(raw)
        for name in ("interview_on", "expires_on"):
            values[name] = date.fromisoformat(values[name]) if values[name] else None
        until = values["retain_until"]
        values["retain_until"] = datetime.fromisoformat(until) if until else None
        return cls(**values)


def staged_from(
    built: Built,
    place: Placement,
    fingerprint: str,
    key: str,
    cover_facts: str,
    filed: Sequence[MaterialPart] = (),
) -> Staged:
    """The record a built dossier will get (its index text and its materials included)."""
    dossier = built.dossier
    return Staged(
        fingerprint=fingerprint,
        archive_no=place.archive_no,
        key=key,
        sha256=dossier.sha256,
        size=len(dossier.pdf),
        page_count=dossier.page_count,
        interview_on=built.interview_on,
        expires_on=place.expires_on,
        retain_until=place.retain_until,
        contents=built.contents,
        integrity=built.report.as_dict(),
        integrity_ok=built.report.ok,
        # the documents' own text (from their DOCX, milliseconds) plus the cover facts
        text="\n".join(
            [
                cover_facts,
                *(docx_text(d.docx) for d in built.documents),
                *(f"{p.material.title} {p.material.author}" for p in filed),
            ]
        ),
        materials=built.materials,
        media=[
            [p.material.id, p.media.key, p.media.version_id] for p in filed if p.media is not None
        ],
    )


def keep(sessions: sessionmaker[Session], case_id: int, staged: Staged) -> None:
    """Write the staged record on the case's 档号 reservation (short transaction)."""
    with transaction(sessions) as session:
        number = repository.number_of(session, case_id, for_update=True)
        assert number is not None  # reserved by the claim
        number.staged = staged.as_json()


def resume(
    store: ObjectStore, raw: dict[str, Any] | None, fingerprint: str, archive_no: str
) -> tuple[Staged, StoredObject] | None:
    """The staged record and its stored version in the archive ``store``, when an earlier run
    of this same build (same 档号, same contents) stored the dossier and died before
    recording it."""
    if raw is None:
        return None
    staged = Staged.from_json(raw)
    if staged.fingerprint != fingerprint or staged.archive_no != archive_no:
        return None  # the case changed since: build again
    for obj in store.list_versions(staged.key):
        if obj.is_delete_marker or obj.key != staged.key:
            continue
        info = store.stat(staged.key, obj.version_id)
        if info.sha256 != staged.sha256:
            continue
        until = staged.retain_until
        report = IntegrityReport(checked_at=clock.now())
        check_security(report, store, staged.key, info.version_id, until, until is None)
        integrity = dict(staged.integrity)
        integrity["security"] = report.as_dict()["security"]
        ok = all(integrity[a]["ok"] for a in ASPECTS)
        integrity["ok"] = ok
        stored = StoredObject(staged.key, info.version_id, info.etag, staged.sha256, info.size)
        return replace(staged, integrity=integrity, integrity_ok=ok), stored
    return None
