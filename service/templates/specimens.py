"""A template version's specimen PDF: the specimen DOCX (rendered with the sample data at
upload) converted by the warm LibreOffice pool, kept beside the version's DOCX."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from archive.storage import ObjectStore
from doc_templates.converter import ConversionError, ConversionTimeout, ConverterPool
from service.db import reading, transaction
from service.errors import NotFound, ServiceUnavailable
from service.templates import repository
from service.templates.models import TemplateVersion
from service.templates.service import specimen_key

PDF_MIME = "application/pdf"


def make_specimen_pdf(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    converter: Callable[[], ConverterPool],
    version_id: int,
) -> TemplateVersion:
    """The version with its specimen PDF made (or the conversion's failure recorded: a DOCX
    LibreOffice cannot convert is the template's problem, and refuses its activation); the
    files in the documents ``store``, converted by the pool ``converter`` starts on first use."""
    with reading(sessions) as session:
        row = repository.by_id(session, version_id)
        if row is None:
            raise NotFound(f"template version {version_id} not found")
        if row.specimen_pdf_key is not None or row.specimen_docx_key is None:
            return row
        docx_key, code, version = row.specimen_docx_key, row.code, row.version
    docx = store.get(docx_key)
    pdf: bytes | None = None
    error: str | None = None
    try:
        pdf = converter().convert(docx)
    except ConversionTimeout as exc:
        raise ServiceUnavailable(f"PDF conversion timed out: {exc}") from exc
    except ConversionError as exc:
        error = f"LibreOffice could not convert the specimen: {exc}"
    key = specimen_key(code, version, "pdf")
    if pdf is not None:
        store.put(key, pdf, content_type=PDF_MIME)
    with transaction(sessions) as session:
        row = repository.by_id(session, version_id, for_update=True)
        assert row is not None  # template versions are never deleted
        if row.specimen_pdf_key is None and row.specimen_error is None:
            row.specimen_pdf_key, row.specimen_error = (key if pdf is not None else None), error
        return row
