"""The PDF of every issued document, made right after issue by a job."""

from __future__ import annotations

from typing import Any

from service.audit.service import Actor
from service.documents.pdf import ensure_pdf
from service.jobs import JobContext, Retry, job


@job("documents.make_pdf", retry=Retry(max_attempts=6, first_wait=2))
def make_pdf(
    ctx: JobContext, *, document_id: int, actor: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Convert the document to PDF/A-2b and record it (``ensure_pdf``: once, then frozen;
    running it again finds the PDF made and does nothing)."""
    rt = ctx.runtime
    by = Actor.from_args(actor) if actor else None
    doc = ensure_pdf(rt.sessions, rt.documents, rt.converter, document_id, by)
    return {"document_id": doc.id, "pdf_sha256": doc.pdf_sha256}
