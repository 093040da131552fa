"""Archiving a closed case: one PDF dossier in the Object Lock bucket, recorded only once stored.

The steps run in this order so that nothing is half-done:
1. check the case file is complete (a short read);
2. make every document's PDF through the warm LibreOffice pool (outside any transaction);
3. read every part back from storage and check it against its SHA-256;
4. in ONE transaction: allocate the 档号, assemble the dossier, store it with its lock,
   confirm the stored bytes, and record archive, text index, statuses and audit entry.
A failure anywhere leaves the case closed and not archived, with the error recorded on the case;
running the archive again succeeds once the cause is gone.
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from archive.completeness import required_templates
from archive.dossier import (
    AssembledDossier,
    DossierCover,
    DossierDocument,
    DossierError,
    assemble_dossier,
    inspect_dossier,
)
from archive.integrity import (
    IntegrityReport,
    PartRecord,
    check_archive_no,
    check_completeness,
    check_metadata,
    check_parts,
    check_ranges,
    check_security,
    check_usability,
)
from archive.numbers import format_archive_no, is_valid_archive_no
from archive.objects import StorageError
from archive.retention import CaseFlags, class_for, lock_period
from doc_templates import all_templates, get_template
from doc_templates.text import docx_text
from service import clock
from service.archives import repository
from service.archives.models import Archive, ArchiveStatus, ArchiveVersion
from service.audit.service import Actor, record
from service.cases.flows import CaseAction, next_status
from service.cases.models import Case
from service.cases.service import get_case
from service.config import Settings
from service.db import reading, transaction
from service.documents import repository as documents
from service.documents.models import Document, DocumentStatus
from service.documents.pdf import ensure_pdf
from service.errors import Conflict, DomainError, NotFound, ServiceUnavailable
from service.numbering.service import next_value
from service.runtime import Runtime
from service.verify.tokens import make_token, new_verify_id

PDF_MIME = "application/pdf"


class DossierIncomplete(Conflict):
    """The case file lacks documents it must hold."""

    code = "dossier_incomplete"


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


def archive_case(
    runtime: Runtime,
    actor: Actor,
    case_id: int,
    reason: str | None = None,
    timings: dict[str, float] | None = None,
) -> Archive:
    """Archive (or re-archive, after a supplement) a closed case.

    ``timings``, when given, receives seconds per stage (pdf, read, merge, upload, index).
    """
    clock_stage = _StageClock(timings)
    settings = runtime.settings
    with reading(runtime.sessions) as session:
        case = get_case(session, case_id)
        next_status(case.status, CaseAction.archive)
        docs = [
            d
            for d in documents.list_for_case(session, case.id)
            if d.status != DocumentStatus.destroyed
        ]
        required = required_templates(
            settings.dossier_requirements, case.outcome.value if case.outcome else None
        )
        missing = [c for c in required if c not in {d.template_code for d in docs}]
        if missing:
            raise DossierIncomplete(
                {
                    "message": f"case {case.case_no} lacks {len(missing)} required document(s)",
                    "missing": [{"template": c, "name": get_template(c).name} for c in missing],
                }
            )
        doc_ids = [d.id for d in docs]
    try:
        pool_size = max(1, settings.pdf_workers)
        with ThreadPoolExecutor(pool_size, thread_name_prefix="archive-pdf") as ex:
            docs = list(ex.map(lambda i: ensure_pdf(runtime, i, actor), doc_ids))
        clock_stage.lap("pdf")
        with ThreadPoolExecutor(4, thread_name_prefix="archive-read") as ex:
            parts = list(ex.map(lambda d: _read_part(runtime, d), docs))
        clock_stage.lap("read")
        with transaction(runtime.sessions) as session:
            archive = _store_and_record(
                runtime, session, actor, case_id, docs, parts, required, reason, clock_stage
            )
            _clear_error(session, case_id)
        clock_stage.lap("index")
        return archive
    except DomainError as exc:
        _record_error(runtime, case_id, f"{exc.code}: {exc.detail}")
        raise
    except StorageError as exc:
        _record_error(runtime, case_id, f"storage: {exc}")
        raise ServiceUnavailable(f"object storage unavailable: {exc}") from exc
    except DossierError as exc:
        _record_error(runtime, case_id, f"dossier: {exc}")
        raise ArchivingFailed(str(exc)) from exc


class _StageClock:
    """Adds the seconds since the previous lap to a stage (a no-op without a dict)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _read_part(runtime: Runtime, doc: Document) -> tuple[bytes, bytes]:
    assert doc.pdf_storage_key is not None
    return runtime.documents.get(doc.storage_key), runtime.documents.get(doc.pdf_storage_key)


def _record_error(runtime: Runtime, case_id: int, message: str) -> None:
    with transaction(runtime.sessions) as session:
        case = session.get(Case, case_id)
        if case is not None:
            case.archive_error = message[:2000]


def _clear_error(session: Session, case_id: int) -> None:
    case = session.get_one(Case, case_id)
    case.archive_error = None


def _interview_on(docs: list[Document]) -> date | None:
    for code, key in (("07", "started_at"), ("04", "interview_time")):
        for d in docs:
            value = d.data.get(key) if d.template_code == code else None
            if isinstance(value, str) and len(value) >= 10:
                return date.fromisoformat(value[:10])
    return None


def _store_and_record(
    runtime: Runtime,
    session: Session,
    actor: Actor,
    case_id: int,
    docs: list[Document],
    parts: list[tuple[bytes, bytes]],
    required: list[str],
    reason: str | None,
    clock_stage: _StageClock,
) -> Archive:
    settings = runtime.settings
    case = get_case(session, case_id, for_update=True)
    case.status = next_status(case.status, CaseAction.archive)  # re-checked under the lock
    assert case.closed_at is not None
    closed_on = case.closed_at.astimezone(clock.LOCAL_TZ).date()
    existing = repository.get_by_case(session, case.id)
    if existing is not None and existing.status == ArchiveStatus.destroyed:
        raise Conflict("a destroyed archive cannot be archived again")
    if existing is None:
        cls_code = class_for(CaseFlags(major=case.major, livelihood=case.livelihood))
        item_no = next_value(session, f"archive:{settings.fonds_no}:{cls_code}", closed_on.year)
        archive_no = format_archive_no(
            settings.archive_no_pattern,
            fonds_no=settings.fonds_no,
            category=settings.archive_category,
            year=closed_on.year,
            retention=cls_code,
            item_no=item_no,
        )
        verify_id = new_verify_id()
    else:
        cls_code, item_no = existing.retention_class, existing.item_no
        archive_no, verify_id = existing.archive_no, existing.verify_id
    cls = settings.retention_classes[cls_code]
    expiry: date | None
    until: datetime | None
    if existing is not None:  # a supplement keeps the period already running
        expiry, until = existing.expires_on, existing.retain_until
    else:
        expiry, until = lock_period(closed_on, cls, clock.now(), clock.LOCAL_TZ)
    interview_on = _interview_on(docs)

    report = IntegrityReport(checked_at=clock.now())
    check_archive_no(
        report, archive_no, is_valid_archive_no(settings.archive_no_pattern, archive_no)
    )
    known = {t.code: t.version for t in all_templates()}
    check_parts(
        report,
        [
            PartRecord(
                d.doc_no,
                d.template_code,
                d.template_version,
                d.sha256,
                d.pdf_sha256,
                hashlib.sha256(docx).hexdigest(),
                hashlib.sha256(pdf).hexdigest(),
            )
            for d, (docx, pdf) in zip(docs, parts, strict=True)
        ],
        known,
    )
    check_completeness(report, required, [d.template_code for d in docs], [d.doc_no for d in docs])
    metadata = {
        "case_no": case.case_no,
        "party": case.party_name,
        "cause": case.cause,
        "closed_on": closed_on.isoformat(),
        "outcome": case.outcome,
        "agency": settings.agency_name,
        "fonds_no": settings.fonds_no,
    }
    check_metadata(report, metadata)

    dossier_docs = [
        DossierDocument(
            seq=i,
            template_code=d.template_code,
            title=get_template(d.template_code).name,
            doc_no=d.doc_no,
            issued_on=d.issued_at.astimezone(clock.LOCAL_TZ).date(),
            pdf=pdf,
            docx=docx,
            sha256=d.sha256,
            pdf_sha256=d.pdf_sha256 or "",
            template_version=d.template_version,
        )
        for i, (d, (docx, pdf)) in enumerate(zip(docs, parts, strict=True), start=1)
    ]
    cover = DossierCover(
        agency_name=settings.agency_name,
        fonds_no=settings.fonds_no,
        year=closed_on.year,
        retention_label=cls.label,
        item_no=item_no,
        archive_no=archive_no,
        case_no=case.case_no,
        party=case.party_name,
        interview_date=interview_on,
        verify_url=verify_url(settings, verify_id),
        cause=case.cause,
        closed_on=closed_on,
        filed_by=actor.principal.name,  # 立卷人: who archives the case
        checked_by=settings.dossier_checker,
        filed_on=clock.now().astimezone(clock.LOCAL_TZ).date(),
    )
    manifest: dict[str, Any] = {
        "archive_no": archive_no,
        "case": {
            **metadata,
            "interview_on": interview_on.isoformat() if interview_on else None,
            "retention_class": cls_code,
            "expires_on": expiry.isoformat() if expiry else None,
        },
        "documents": [
            {
                "seq": dd.seq,
                "template": dd.template_code,
                "name": dd.title,
                "doc_no": dd.doc_no,
                "issued_on": dd.issued_on.isoformat(),
                "sha256": dd.sha256,
                "pdf_sha256": dd.pdf_sha256,
                "template_version": dd.template_version,
            }
            for dd in dossier_docs
        ],
        "integrity": report.as_dict(),
    }
    dossier = assemble_dossier(cover, dossier_docs, manifest)
    check_ranges(report, dossier.ranges, dossier.front_pages + 1)
    check_usability(report, inspect_dossier(dossier.pdf), dossier.page_count)
    clock_stage.lap("merge")

    key = dossier_key(archive_no, closed_on.year)
    stored = runtime.archive.put(
        key,
        dossier.pdf,
        content_type=PDF_MIME,
        metadata={"archive-no": archive_no, "case-no": case.case_no},
        retention=("COMPLIANCE", until) if until else None,
        legal_hold=until is None,
    )
    if stored.sha256 != dossier.sha256:  # put() already read it back; belt and braces
        raise ArchivingFailed("the stored dossier does not match what was built")
    check_security(report, runtime.archive, key, stored.version_id, until, until is None)
    clock_stage.lap("upload")

    now = clock.now()
    contents = _contents(dossier_docs, dossier)
    if existing is None:
        archive = Archive(
            case_id=case.id,
            archive_no=archive_no,
            fonds_no=settings.fonds_no,
            year=closed_on.year,
            item_no=item_no,
            retention_class=cls_code,
            closed_on=closed_on,
            expires_on=expiry,
            retain_until=until,
            status=ArchiveStatus.archived,
            case_no=case.case_no,
            party_name=case.party_name,
            interview_on=interview_on,
            object_key=key,
            version_id=stored.version_id,
            sha256=dossier.sha256,
            size=len(dossier.pdf),
            page_count=dossier.page_count,
            verify_id=verify_id,
            contents=contents,
            integrity=report.as_dict(),
            versions=1,
            archived_at=now,
            archived_by=actor.principal.label,
        )
        session.add(archive)
    else:
        archive = existing
        archive.version_id, archive.sha256 = stored.version_id, dossier.sha256
        archive.size, archive.page_count = len(dossier.pdf), dossier.page_count
        archive.contents, archive.integrity = contents, report.as_dict()
        archive.versions += 1
        archive.archived_at, archive.archived_by = now, actor.principal.label
        archive.interview_on = interview_on
    session.flush()
    session.add(
        ArchiveVersion(
            archive_id=archive.id,
            version_no=archive.versions,
            version_id=stored.version_id,
            sha256=dossier.sha256,
            size=len(dossier.pdf),
            archived_at=now,
            archived_by=actor.principal.label,
            reason=reason,
        )
    )
    # The index takes the documents' own text (read from their DOCX, milliseconds) plus the
    # cover facts, instead of extracting it back out of the assembled PDF (half a second).
    cover_facts = f"{archive_no} {case.case_no} {case.party_name} {case.cause}"
    repository.set_text(
        session, archive.id, "\n".join([cover_facts, *(docx_text(dd.docx) for dd in dossier_docs)])
    )
    for d in docs:
        session.get_one(Document, d.id).status = DocumentStatus.archived
    case.updated_at = now
    record(
        session,
        actor,
        "archive.create" if existing is None else "archive.supplement",
        "archive",
        archive.archive_no,
        {
            "case_no": case.case_no,
            "sha256": dossier.sha256,
            "version_id": stored.version_id,
            "retention_class": cls_code,
            "integrity_ok": report.ok,
            "reason": reason,
        },
    )
    return archive


def _contents(docs: list[DossierDocument], dossier: AssembledDossier) -> list[dict[str, Any]]:
    return [
        {
            "seq": d.seq,
            "template": d.template_code,
            "name": d.title,
            "doc_no": d.doc_no,
            "issued_on": d.issued_on.isoformat(),
            "pages": end - start + 1,
            "start_page": start,
            "end_page": end,
            "page_numbers": list(numbers),  # 页号 printed on the pages, from 1
            "sha256": d.sha256,
            "pdf_sha256": d.pdf_sha256,
            "template_version": d.template_version,
        }
        for d, (start, end), numbers in zip(docs, dossier.ranges, dossier.page_numbers, strict=True)
    ]


def get_archive(session: Session, archive_no: str) -> Archive:
    """The archive with this 档号, or 404."""
    archive = repository.get_by_no(session, archive_no)
    if archive is None:
        raise NotFound(f"archive {archive_no} not found")
    return archive
