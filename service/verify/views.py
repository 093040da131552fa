"""Public verification of a document's QR code: no login needed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from doc_templates import get_template
from service.archives import repository as archives
from service.cases.repository import get as get_case
from service.console.verify_page import verification_page
from service.deps import ReadSessionDep, SettingsDep
from service.documents.repository import get_by_verify_id, replacement_of
from service.errors import NotFound
from service.schemas import SafeText
from service.verify.tokens import read_token

router = APIRouter(prefix="/api/v1/verify", tags=["verify"])


class VerifyOut(BaseModel):
    """What the archive knows about a genuine document."""

    agency: str
    case_no: str
    doc_no: str
    template: str
    template_name: str
    issued_on: date | None = Field(default=None, description="成文日期, the document's date")
    issued_at: datetime
    sha256: str
    pdf_sha256: str | None
    status: str
    archive_no: str | None = None
    replaced_by: str | None = Field(
        default=None, description="superseded: the 文号 of the document that replaces it"
    )


@router.get(
    "/{token}",
    response_model=VerifyOut,
    responses={
        200: {"content": {"text/html": {}}, "description": "JSON, or HTML for browsers"},
        404: {"description": "Unknown or tampered token"},
    },
)
def verify(
    token: Annotated[SafeText, Path(max_length=256, description="the QR code's token")],
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
) -> VerifyOut | HTMLResponse | JSONResponse:
    """Check a document's QR token: 404 for anything not issued by this service."""
    verify_id = read_token(settings.secret, token)
    out = _lookup(session, settings.agency_name, verify_id) if verify_id else None
    if _wants_html(request):  # a citizen's phone: a page, also for a code never issued
        return verification_page(request, out)
    if out is None:
        raise NotFound("unknown document")
    return out


def _lookup(session: Session, agency: str, verify_id: str) -> VerifyOut | None:
    """A document's or a dossier's verification record."""
    doc = get_by_verify_id(session, verify_id)
    if doc is not None:
        case = get_case(session, doc.case_id)
        archive = archives.get_by_case(session, doc.case_id)
        if case is None:
            return None
        replacement = replacement_of(session, doc.id)
        return VerifyOut(
            agency=agency,
            case_no=case.case_no,
            doc_no=doc.doc_no,
            template=doc.template_code,
            template_name=get_template(doc.template_code).name,
            issued_on=doc.issued_on,
            issued_at=doc.issued_at,
            sha256=doc.sha256,
            pdf_sha256=doc.pdf_sha256,
            status=doc.status.value,
            archive_no=archive.archive_no if archive else None,
            replaced_by=replacement.doc_no if replacement else None,
        )
    dossier = archives.get_by_verify_id(session, verify_id)
    if dossier is None:
        return None
    return VerifyOut(
        agency=agency,
        case_no=dossier.case_no,
        doc_no=dossier.archive_no,
        template="dossier",
        template_name="行政约谈案件档案",
        issued_at=dossier.archived_at,
        sha256=dossier.sha256,
        pdf_sha256=dossier.sha256,
        status=dossier.status.value,
        archive_no=dossier.archive_no,
    )


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept
