"""Archiving a closed case: one PDF dossier in the Object Lock bucket, recorded only once stored.

Named short steps, none of which holds a write transaction across LibreOffice or S3:
1. ``_gather`` (read): the case, its effective documents, the completeness rule, and the
   fingerprint of what a dossier would hold — an unchanged case is not archived again;
2. ``_claim`` (short write): reserve the case's 档号 (kept if this attempt fails, so 件号 stay
   gap-free) and mark the build as in progress;
3. ``_make_pdfs``, ``_read_parts``, ``media.read_materials``, ``media.store_media`` (none):
   every document's PDF through the warm pool, then every part read back and hashed,
   and every material's file, then audio and video stored under the dossier's lock beside it;
4. ``_build`` (no I/O, ``assembly.build``): the 四性 report and the dossier;
5. ``_stage`` (short write), then ``_store`` (no transaction): the record-to-be kept on the
   档号 reservation (``staging``), then the dossier put with its lock, bytes and lock confirmed;
6. ``_record`` (short write), in named parts: ``_new_record`` (a first archiving),
   ``_add_version`` (the record points at the stored version; version row, materials' copies,
   text index), ``_settle_case`` (steps, documents archived, claim cleared), the audit entry.
A run that died after storing and before recording is finished from the staged record and the
stored version by the next run (archiving is a job, run again after its worker dies), never
stored twice.
Each step is given only what it uses: the sessionmaker, the settings, the documents or the
archive store, the converter.
A failure anywhere leaves the case closed and not archived, its error recorded on the case
and the claim released; archiving again succeeds once the cause is gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from archive.completeness import required_templates
from archive.dossier import DossierError
from archive.integrity import check_security
from archive.numbers import format_archive_no
from archive.objects import StorageError, StoredObject
from archive.retention import CaseFlags, class_for, lock_period
from archive.storage import ObjectStore
from doc_templates import get_template
from doc_templates.converter import ConverterPool
from doc_templates.packs import INTERVIEW, get_pack
from service import clock
from service.archives import repository, staging
from service.archives.assembly import (
    Built,
    CaseFacts,
    Filing,
    MaterialPart,
    Placement,
    build,
    fingerprint,
)
from service.archives.media import check_media_security, read_materials, store_media
from service.archives.models import Archive, ArchiveNumber, ArchiveStatus, ArchiveVersion
from service.audit.service import Actor, record
from service.cases import repository as cases
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case
from service.cases.service import get_case
from service.config import Settings
from service.db import reading, transaction
from service.documents import repository as documents
from service.documents.models import Document, DocumentStatus
from service.documents.pdf import ensure_pdf
from service.errors import Conflict, DomainError, NotFound, storage_error
from service.materials import repository as materials
from service.materials.models import Material, MaterialStatus
from service.numbering.service import next_value
from service.process.service import sync_steps
from service.templates import service as templates
from service.verify.tokens import make_token, new_verify_id

PDF_MIME = "application/pdf"
# A build claimed longer ago than this belongs to a process that died; another may take over.
CLAIM_LEASE = timedelta(minutes=15)


class DossierIncomplete(Conflict):
    """The case file lacks documents it must hold."""

    code = "dossier_incomplete"


class ArchivingInProgress(Conflict):
    """Another request is archiving this case right now."""

    code = "archiving_in_progress"


class ArchivingFailed(DomainError):
    """The dossier could not be built."""

    status_code = 500
    code = "archiving_failed"


def dossier_key(archive_no: str, year: int) -> str:
    """Readable object key of a dossier."""
    return f"dossiers/{year}/{archive_no}.pdf"


def verify_url(settings: Settings, verify_id: str) -> str:
    """The URL a dossier's cover QR encodes."""
    return f"{settings.api_base}/api/v1/verify/{make_token(settings.secret, verify_id)}"


@dataclass(frozen=True)
class _Gathered:
    facts: CaseFacts
    docs: list[Document]
    required: list[str]
    retention_class: str
    fingerprint: str
    existing: Archive | None
    materials: list[Material]
    known_versions: dict[str, set[str]]


def archive_case(
    sessions: sessionmaker[Session],
    settings: Settings,
    documents_store: ObjectStore,
    archive_store: ObjectStore,
    converter: Callable[[], ConverterPool],
    actor: Actor,
    case_id: int,
    reason: str | None = None,
    timings: dict[str, float] | None = None,
    claimant: str | None = None,
) -> tuple[Archive, bool]:
    """Archive (or re-archive, after a change) a closed case; ``(archive, created)``.

    It reads the issued files from ``documents_store`` (making missing PDFs through the pool
    ``converter`` starts on first use) and stores the dossier in ``archive_store``.
    An unchanged case is not archived again: the existing record comes back with ``False``.
    ``timings``, when given, receives seconds per stage (pdf, read, merge, upload, index).
    ``claimant`` names who holds the build claim (the acting principal by default); the
    same claimant takes its own claim back at once — a job run again after its worker died.
    """
    lap = _StageClock(timings)
    gathered = _gather(sessions, settings, case_id)
    if gathered.existing is not None and gathered.existing.content_hash == gathered.fingerprint:
        return gathered.existing, False
    number = _claim(sessions, settings, gathered, claimant or actor.principal.label)
    try:
        resumed = staging.resume(
            archive_store, number.staged, gathered.fingerprint, number.archive_no
        )
        if resumed is not None:  # stored by a run that died before recording it
            staged, stored = resumed
            place = replace(
                _place(settings, gathered, number),
                expires_on=staged.expires_on,
                retain_until=staged.retain_until,
            )
            archive = _record(
                sessions, settings, actor, gathered, place, staged, stored, gathered.docs, reason
            )
            return archive, True
        docs = _make_pdfs(sessions, settings, documents_store, converter, actor, gathered.docs)
        lap("pdf")
        parts = _read_parts(documents_store, docs)
        files = read_materials(documents_store, gathered.materials)
        lap("read")
        place = _place(settings, gathered, number)
        filed = store_media(archive_store, place, gathered.facts, gathered.materials, files)
        built = _build(settings, actor, gathered, place, docs, parts, filed)
        lap("merge")
        place = _stored_now(settings, gathered, place)
        staged = _stage(sessions, gathered, place, built, filed)
        stored = _store(archive_store, gathered, place, built, filed)
        # the record keeps the report with the security facts of the stored version
        staged = replace(staged, integrity=built.report.as_dict(), integrity_ok=built.report.ok)
        lap("upload")
        archive = _record(sessions, settings, actor, gathered, place, staged, stored, docs, reason)
        lap("index")
        return archive, True
    except DomainError as exc:
        _release(sessions, case_id, f"{exc.code}: {exc.detail}")
        raise
    except StorageError as exc:
        _release(sessions, case_id, f"storage: {storage_error(exc).detail}")
        raise
    except DossierError as exc:
        _release(sessions, case_id, f"dossier: {exc}")
        raise ArchivingFailed(str(exc)) from exc
    except BaseException:
        _release(sessions, case_id, "archiving was interrupted")
        raise


class _StageClock:
    """Adds the seconds since the previous lap to a stage (a no-op without a dict)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _gather(sessions: sessionmaker[Session], settings: Settings, case_id: int) -> _Gathered:
    """Step 1 (read): what the dossier will hold, or 409 for what it lacks."""
    with reading(sessions) as session:
        case = get_case(session, case_id)
        next_status(case.status, CaseAction.archive)
        every = documents.list_for_case(session, case.id)
        # The file holds the effective documents in time order: by 成文日期, then issue order.
        docs = sorted(
            (d for d in every if d.status in (DocumentStatus.valid, DocumentStatus.archived)),
            key=lambda d: (d.issued_on, d.id),
        )
        voided = [d for d in every if d.status == DocumentStatus.superseded]
        outcome = case.outcome.value if case.outcome else None
        required = required_templates(requirements_for(settings, case.pack), outcome)
        missing = [c for c in required if c not in {d.template_code for d in docs}]
        if missing:
            raise DossierIncomplete(
                {
                    "message": f"case {case.case_no} lacks {len(missing)} required document(s)",
                    "missing": [{"template": c, "name": get_template(c).name} for c in missing],
                }
            )
        assert case.closed_at is not None
        existing = repository.get_by_case(session, case.id)
        first = existing.archived_at if existing is not None else None
        first_version = repository.versions(session, existing.id)[0] if existing else None
        if first_version is not None:
            first = first_version.archived_at
        facts = CaseFacts(
            case_id=case.id,
            case_no=case.case_no,
            party=case.party_name,
            cause=case.cause,
            outcome=outcome,
            closed_on=case.closed_on or case.closed_at.astimezone(clock.LOCAL_TZ).date(),
            major=case.major,
            livelihood=case.livelihood,
            pack=case.pack,
            voided=tuple(_voided_line(d) for d in voided),
            supplemented=tuple(
                f"{d.doc_no} {get_template(d.template_code).name}"
                f"（{d.issued_at.astimezone(clock.LOCAL_TZ).date():%Y%m%d}补充归档）"
                for d in docs
                if first is not None and d.issued_at > first
            ),
        )
        if existing is not None and existing.status == ArchiveStatus.destroyed:
            raise Conflict("a destroyed archive cannot be archived again")
        cls = (
            existing.retention_class
            if existing is not None
            else class_for(CaseFlags(major=case.major, livelihood=case.livelihood))
        )
        filed = [
            m
            for m in materials.list_for_case(session, case.id)
            if m.status == MaterialStatus.stored
        ]
        digest = fingerprint(facts, docs, settings.agency_name, settings.fonds_no, cls, filed)
        known = templates.known_versions(session)
        return _Gathered(facts, docs, required, cls, digest, existing, filed, known)


def requirements_for(settings: Settings, pack: str) -> dict[str, list[str]]:
    """What a case file of ``pack`` must hold: the office's setting for interviews, the
    pack's own rule for the others."""
    return settings.dossier_requirements if pack == INTERVIEW else get_pack(pack).requirements


def _voided_line(doc: Document) -> str:
    """A voided document as the 卷内备考表 lists it: 文号, what, who voided it, when, why."""
    when = doc.voided_at.astimezone(clock.LOCAL_TZ).date() if doc.voided_at else None
    return (
        f"{doc.doc_no} {get_template(doc.template_code).name}"
        f"（{when:%Y%m%d} {doc.voided_by} 作废：{doc.void_reason}）"
    )


def plan(sessions: sessionmaker[Session], settings: Settings, case_id: int) -> Archive | None:
    """What archiving the case now would do, checked before a job is queued for it: 409 for
    a case that cannot be archived (state, missing documents), the existing record when
    nothing changed since it was archived, None when a dossier is to be built."""
    gathered = _gather(sessions, settings, case_id)
    if gathered.existing is not None and gathered.existing.content_hash == gathered.fingerprint:
        return gathered.existing
    return None


def _claim(
    sessions: sessionmaker[Session], settings: Settings, gathered: _Gathered, claimant: str
) -> ArchiveNumber:
    """Step 2 (short write): reserve the 档号 and claim the build."""
    facts = gathered.facts
    with transaction(sessions) as session:
        cases.get(session, facts.case_id, for_update=True)  # one claim at a time per case
        number = repository.number_of(session, facts.case_id)
        now = clock.now()
        if number is None:
            cls = gathered.retention_class
            year = facts.closed_on.year
            item_no = next_value(session, f"archive:{settings.fonds_no}:{cls}", year)
            number = ArchiveNumber(
                case_id=facts.case_id,
                archive_no=format_archive_no(
                    settings.archive_no_pattern,
                    fonds_no=settings.fonds_no,
                    category=settings.archive_category,
                    year=year,
                    retention=cls,
                    item_no=item_no,
                ),
                fonds_no=settings.fonds_no,
                year=year,
                item_no=item_no,
                retention_class=cls,
                verify_id=new_verify_id(),
                reserved_at=now,
            )
            session.add(number)
        elif (
            number.claimed_at is not None
            and now - number.claimed_at < CLAIM_LEASE
            and number.claimed_by != claimant
        ):
            raise ArchivingInProgress(
                f"{number.archive_no} is being archived by {number.claimed_by} since "
                f"{number.claimed_at.isoformat()}"
            )
        number.claimed_at, number.claimed_by = now, claimant
        session.flush()
        return number


def _place(settings: Settings, gathered: _Gathered, number: ArchiveNumber) -> Placement:
    """Where the dossier goes and until when it is locked, fixed just before it is built
    (a period counted in seconds, in tests, must not run out during the PDF work)."""
    period = settings.retention_classes[number.retention_class]
    existing = gathered.existing
    if existing is not None:  # a supplement keeps the period already running
        expiry, until = existing.expires_on, existing.retain_until
    else:
        expiry, until = lock_period(gathered.facts.closed_on, period, clock.now(), clock.LOCAL_TZ)
    return Placement(
        archive_no=number.archive_no,
        item_no=number.item_no,
        retention_class=number.retention_class,
        retention_label=period.label,
        expires_on=expiry,
        retain_until=until,
        verify_id=number.verify_id,
        verify_url=verify_url(settings, number.verify_id),
    )


def _release(sessions: sessionmaker[Session], case_id: int, error: str | None) -> None:
    """Give up the claim; with ``error``, say on the case why archiving failed."""
    with transaction(sessions) as session:
        number = repository.number_of(session, case_id, for_update=True)
        if number is not None:
            number.claimed_at = number.claimed_by = None
        case = cases.get(session, case_id)
        if case is not None:
            case.archive_error = error[:2000] if error else None


def _make_pdfs(
    sessions: sessionmaker[Session],
    settings: Settings,
    store: ObjectStore,
    converter: Callable[[], ConverterPool],
    actor: Actor,
    docs: list[Document],
) -> list[Document]:
    """Step 3a: every document's PDF, made once and frozen (most were made at issue)."""

    def make(doc: Document) -> Document:
        return ensure_pdf(sessions, store, converter, doc.id, actor)

    with ThreadPoolExecutor(max(1, settings.pdf_workers), "archive-pdf") as ex:
        return list(ex.map(make, docs))


def _read_parts(store: ObjectStore, docs: list[Document]) -> list[tuple[bytes, bytes]]:
    """Step 3b: every part read back from the documents store (hashed by ``assembly.build``)."""

    def read(doc: Document) -> tuple[bytes, bytes]:
        assert doc.pdf_storage_key is not None
        return store.get(doc.storage_key), store.get(doc.pdf_storage_key)

    with ThreadPoolExecutor(4, thread_name_prefix="archive-read") as ex:
        return list(ex.map(read, docs))


def _build(
    settings: Settings,
    actor: Actor,
    gathered: _Gathered,
    place: Placement,
    docs: list[Document],
    parts: list[tuple[bytes, bytes]],
    filed: list[MaterialPart],
) -> Built:
    """Step 4 (no I/O): the 四性 report and the dossier."""
    return build(
        gathered.facts,
        place,
        docs,
        parts,
        gathered.required,
        Filing(
            agency_name=settings.agency_name,
            fonds_no=settings.fonds_no,
            archive_no_pattern=settings.archive_no_pattern,
            filed_by=actor.principal.name,  # 立卷人: who archives the case
            checked_by=settings.dossier_checker,
        ),
        filed,
        known_versions=gathered.known_versions,
    )


def _stored_now(settings: Settings, gathered: _Gathered, place: Placement) -> Placement:
    """A retention period in seconds (tests only) runs from the moment the dossier is stored:
    its expiry and lock are worked out again just before the upload."""
    period = settings.retention_classes[place.retention_class]
    if period.seconds is None or gathered.existing is not None:
        return place
    expiry, until = lock_period(gathered.facts.closed_on, period, clock.now(), clock.LOCAL_TZ)
    return replace(place, expires_on=expiry, retain_until=until)


def _stage(
    sessions: sessionmaker[Session],
    gathered: _Gathered,
    place: Placement,
    built: Built,
    filed: list[MaterialPart],
) -> staging.Staged:
    """Before step 5 (short write): the record-to-be kept on the 档号 reservation, so that a
    run that dies after storing is finished from the stored version."""
    f = gathered.facts
    key = dossier_key(place.archive_no, f.closed_on.year)
    cover = f"{place.archive_no} {f.case_no} {f.party} {f.cause}"
    staged = staging.staged_from(built, place, gathered.fingerprint, key, cover, filed)
    staging.keep(sessions, f.case_id, staged)
    return staged


def _store(
    store: ObjectStore,
    gathered: _Gathered,
    place: Placement,
    built: Built,
    filed: list[MaterialPart],
) -> StoredObject:
    """Step 5: put the dossier under its lock and confirm bytes and lock (and the media's)."""
    until = place.retain_until
    key = dossier_key(place.archive_no, gathered.facts.closed_on.year)
    stored = store.put(
        key,
        built.dossier.pdf,
        content_type=PDF_MIME,
        metadata={"archive-no": place.archive_no, "case-no": gathered.facts.case_no},
        retention=("COMPLIANCE", until) if until else None,
        legal_hold=until is None,
    )
    if stored.sha256 != built.dossier.sha256:  # put() already read it back; belt and braces
        raise ArchivingFailed("the stored dossier does not match what was built")
    check_security(built.report, store, key, stored.version_id, until, until is None)
    check_media_security(store, built.report, filed, until)
    return stored


def _record(
    sessions: sessionmaker[Session],
    settings: Settings,
    actor: Actor,
    gathered: _Gathered,
    place: Placement,
    staged: staging.Staged,
    stored: StoredObject,
    docs: list[Document],
    reason: str | None,
) -> Archive:
    """Step 6 (short write): the record, its version, the text index, statuses, the audit."""
    with transaction(sessions) as session:
        case = get_case(session, gathered.facts.case_id, for_update=True)
        case.status = next_status(case.status, CaseAction.archive)  # re-checked under the lock
        existing = repository.get_by_case(session, case.id)
        now = clock.now()
        archive = (
            existing
            if existing is not None
            else _new_record(session, settings, case, gathered.facts, place)
        )
        _add_version(session, actor, archive, gathered.fingerprint, staged, stored, now, reason)
        _settle_case(session, settings, case, docs, now)
        record(
            session,
            actor,
            "archive.create" if existing is None else "archive.supplement",
            "archive",
            archive.archive_no,
            {
                "case_no": case.case_no,
                "sha256": staged.sha256,
                "version_id": stored.version_id,
                "retention_class": place.retention_class,
                "integrity_ok": staged.integrity_ok,
                "reason": reason,
                "materials": len(staged.materials),
            },
        )
        return archive


def _new_record(
    session: Session, settings: Settings, case: Case, facts: CaseFacts, place: Placement
) -> Archive:
    """Step 6a: the archive record of a case archived for the first time (no version yet)."""
    archive = Archive(
        case_id=case.id,
        archive_no=place.archive_no,
        fonds_no=settings.fonds_no,
        year=facts.closed_on.year,
        item_no=place.item_no,
        retention_class=place.retention_class,
        closed_on=facts.closed_on,
        expires_on=place.expires_on,
        retain_until=place.retain_until,
        status=ArchiveStatus.archived,
        case_no=case.case_no,
        party_name=case.party_name,
        verify_id=place.verify_id,
        versions=0,
    )
    session.add(archive)
    return archive


def _add_version(
    session: Session,
    actor: Actor,
    archive: Archive,
    fingerprint: str,
    staged: staging.Staged,
    stored: StoredObject,
    now: datetime,
    reason: str | None,
) -> None:
    """Step 6b: the record points at the stored version; the version, the materials' copies
    and the text index are written beside it."""
    archive.object_key, archive.version_id = stored.key, stored.version_id
    archive.sha256, archive.size = staged.sha256, staged.size
    archive.page_count, archive.interview_on = staged.page_count, staged.interview_on
    archive.contents, archive.integrity = staged.contents, staged.integrity
    archive.materials = staged.materials
    archive.content_hash = fingerprint
    archive.versions += 1
    archive.archived_at, archive.archived_by = now, actor.principal.label
    session.flush()
    for material_id, media_key, media_version in staged.media:
        m = materials.get(session, material_id)
        assert m is not None  # materials are never deleted
        m.archive_key, m.archive_version = media_key, media_version
    session.add(
        ArchiveVersion(
            archive_id=archive.id,
            version_no=archive.versions,
            version_id=stored.version_id,
            sha256=staged.sha256,
            size=staged.size,
            archived_at=now,
            archived_by=actor.principal.label,
            reason=reason,
        )
    )
    repository.set_text(session, archive.id, staged.text)
    session.flush()


def _settle_case(
    session: Session, settings: Settings, case: Case, docs: list[Document], now: datetime
) -> None:
    """Step 6c: the case's steps, its documents archived, its error and its claim cleared."""
    # The archiving step is done by the first version: the kept steps must say so too.
    sync_steps(session, settings, case)
    documents.mark_archived(session, [d.id for d in docs])
    case.updated_at, case.archive_error = now, None
    number = repository.number_of(session, case.id)
    if number is not None:
        number.claimed_at = number.claimed_by = None
        number.staged = None


def get_archive(session: Session, archive_no: str) -> Archive:
    """The archive with this 档号, or 404."""
    archive = repository.get_by_no(session, archive_no)
    if archive is None:
        raise NotFound(f"archive {archive_no} not found")
    return archive
