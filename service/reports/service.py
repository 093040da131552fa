"""Rendering, signing off and archiving the quarterly report.

Signing renders the report dated that day, converts it, and puts both files in the archive
bucket under a legal hold with no end (permanent retention) before the row and the audit entry
are committed together — no write transaction is held across the conversion or the uploads.
Once signed, the report is the archived one; before, every request renders a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.storage import ObjectStore
from doc_templates.converter import ConverterPool
from service import clock
from service.audit.service import Actor, record
from service.config import Settings
from service.db import reading, transaction
from service.reports import repository
from service.reports.models import QuarterlyReport
from service.reports.quarterly import Report, parse_quarter, render

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class Files:
    """A report's files, and its record when signed."""

    docx: bytes
    pdf: bytes
    signed: QuarterlyReport | None


def signed(sessions: sessionmaker[Session], quarter: str) -> QuarterlyReport | None:
    """The signed report of the quarter, if any."""
    with reading(sessions) as session:
        return repository.signed(session, quarter)


def draft(sessions: sessionmaker[Session], settings: Settings, quarter: str) -> Report:
    """The quarter's report rendered now (a draft until signed)."""
    parse_quarter(quarter)
    with reading(sessions) as session:
        return render(session, settings, quarter)


def files(
    sessions: sessionmaker[Session],
    settings: Settings,
    archive: ObjectStore,
    converter: Callable[[], ConverterPool],
    quarter: str,
    *,
    pdf: bool,
) -> Files:
    """The signed report's archived files (from the ``archive`` bucket), or a draft's (the
    PDF only when asked for, through the pool ``converter`` starts on first use)."""
    found = signed(sessions, quarter)
    if found is not None:
        return Files(
            archive.get(found.docx_key),
            archive.get(found.pdf_key, found.pdf_version_id) if pdf else b"",
            found,
        )
    report = draft(sessions, settings, quarter)
    return Files(report.docx, converter().convert(report.docx) if pdf else b"", None)


def sign(
    sessions: sessionmaker[Session],
    settings: Settings,
    archive: ObjectStore,
    converter: Callable[[], ConverterPool],
    actor: Actor,
    quarter: str,
) -> tuple[QuarterlyReport, bool]:
    """Sign the quarter's report off: dated today, archived for good; and whether it was
    signed now (a report already signed is returned as it is)."""
    existing = signed(sessions, quarter)
    if existing is not None:
        return existing, False
    report = draft(sessions, settings, quarter)
    pdf = converter().convert(report.docx)
    base = f"reports/quarterly/{quarter}/{report.doc_no}"
    meta = {"doc-no": report.doc_no, "quarter": quarter}
    docx_obj = archive.put(
        f"{base}.docx", report.docx, content_type=DOCX_MIME, metadata=meta, legal_hold=True
    )
    pdf_obj = archive.put(f"{base}.pdf", pdf, content_type=PDF_MIME, metadata=meta, legal_hold=True)
    row = QuarterlyReport(
        quarter=quarter,
        doc_no=report.doc_no,
        issued_on=report.issued_on,
        retention="permanent",
        docx_key=docx_obj.key,
        docx_sha256=docx_obj.sha256,
        pdf_key=pdf_obj.key,
        pdf_sha256=pdf_obj.sha256,
        pdf_version_id=pdf_obj.version_id,
        pdf_size=pdf_obj.size,
        signed_by=actor.principal.label,
        signed_at=clock.now(),
    )
    try:
        with transaction(sessions) as session:
            session.add(row)
            session.flush()
            record(
                session,
                actor,
                "report.sign",
                "quarterly_report",
                row.id,
                {
                    "quarter": quarter,
                    "doc_no": report.doc_no,
                    "issued_on": report.issued_on.isoformat(),
                    "pdf_sha256": pdf_obj.sha256,
                    "retention": "permanent",
                },
            )
    except IntegrityError:  # signed by someone else meanwhile: theirs stands
        again = signed(sessions, quarter)
        assert again is not None
        return again, False
    return row, True
