"""The PDF of an issued document: converted once by the warm LibreOffice pool, then frozen.

The PDF is made on first demand (download, archiving) rather than at issue time, so issuing
stays fast; once made, its SHA-256 is recorded and ``/verify`` reports it. The conversion runs
outside any database transaction (it takes a few hundred milliseconds and must not hold the
SQLite write lock); the result is recorded in a short transaction that keeps whichever PDF was
recorded first if two requests raced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from archive.storage import ObjectStore
from doc_templates.converter import ConversionError, ConversionTimeout, ConverterPool
from service.audit.service import Actor, record
from service.db import reading, transaction
from service.documents import repository
from service.documents.models import Document
from service.errors import DomainError, NotFound, ServiceUnavailable

PDF_MIME = "application/pdf"


class PdfNotReady(DomainError):
    """The PDF is still being made by its job, and this process makes none itself."""

    status_code = 503
    code = "pdf_not_ready"


class PdfFailed(DomainError):
    """LibreOffice could not convert the document."""

    status_code = 502
    code = "pdf_conversion_failed"


def pdf_key(doc: Document) -> str:
    """Object key of a document's PDF, next to its DOCX."""
    return doc.storage_key.removesuffix(".docx") + ".pdf"


def ensure_pdf(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    converter: Callable[[], ConverterPool],
    document_id: int,
    actor: Actor | None = None,
) -> Document:
    """The document with its PDF made and recorded (converting it now if needed): its DOCX
    read from and its PDF put in the documents ``store``, converted by the pool ``converter``
    gives (started on first use, so a document whose PDF is made starts none)."""
    with reading(sessions) as session:
        doc = repository.get(session, document_id)
        if doc is None:
            raise NotFound(f"document {document_id} not found")
        if doc.pdf_sha256 is not None:
            return doc
        key, storage_key = pdf_key(doc), doc.storage_key
    try:
        docx = store.get(storage_key)
        pdf = converter().convert(docx)
    except ConversionTimeout as exc:
        raise ServiceUnavailable(f"PDF conversion timed out: {exc}") from exc
    except ConversionError as exc:
        raise PdfFailed(f"PDF conversion failed: {exc}") from exc
    sha256 = hashlib.sha256(pdf).hexdigest()

    with transaction(sessions) as session:
        doc = repository.get_for_update(session, document_id)
        assert doc is not None  # documents are never deleted
        if doc.pdf_sha256 is not None:  # another request won the race
            return doc
        store.put(key, pdf, content_type=PDF_MIME)
        doc.pdf_sha256, doc.pdf_storage_key = sha256, key
        if actor is not None:
            record(session, actor, "document.pdf", "document", doc.id, {"pdf_sha256": sha256})
        return doc
