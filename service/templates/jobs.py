"""The specimen PDF of an uploaded template version, made by a job after the upload."""

from __future__ import annotations

from typing import Any

from service.jobs import JobContext, Retry, job
from service.templates.specimens import make_specimen_pdf


@job("templates.specimen_pdf", retry=Retry(max_attempts=4, first_wait=5))
def specimen_pdf(ctx: JobContext, *, version_id: int) -> dict[str, Any]:
    """Convert the version's specimen DOCX to PDF and keep it beside it (once)."""
    rt = ctx.runtime
    row = make_specimen_pdf(rt.sessions, rt.documents, rt.converter, version_id)
    return {"version_id": row.id, "specimen_pdf": row.specimen_pdf_key, "error": row.specimen_error}
