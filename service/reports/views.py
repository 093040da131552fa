"""HTTP routes of the quarterly report: the document (a draft until signed, then the archived
one), and the leader's sign-off."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from service.audit.service import Actor
from service.deps import RuntimeDep, authorize
from service.openapi import errors
from service.reports import service
from service.reports.models import QuarterlyReport
from service.schemas import SafeText

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Quarter = Annotated[SafeText, Path(pattern=r"^\d{4}Q[1-4]$", description="YYYYQn")]


class Format(StrEnum):
    """Which file."""

    pdf = "pdf"
    docx = "docx"


class SignedOut(BaseModel):
    """A signed quarterly report."""

    quarter: str
    doc_no: str = Field(description="文号")
    issued_on: date = Field(description="成文日期: the day it was signed off")
    retention: str = Field(description="permanent: kept under a legal hold with no end")
    pdf_sha256: str
    docx_sha256: str
    signed_by: str
    signed_at: datetime


def _out(row: QuarterlyReport) -> SignedOut:
    return SignedOut(
        quarter=row.quarter,
        doc_no=row.doc_no,
        issued_on=row.issued_on,
        retention=row.retention,
        pdf_sha256=row.pdf_sha256,
        docx_sha256=row.docx_sha256,
        signed_by=row.signed_by,
        signed_at=row.signed_at,
    )


@router.get(
    "/quarterly",
    response_class=Response,
    responses={
        200: {
            "content": {
                service.PDF_MIME: {"schema": {"type": "string", "format": "binary"}},
                service.DOCX_MIME: {"schema": {"type": "string", "format": "binary"}},
            }
        },
        **errors(422),
    },
)
def quarterly_report(
    runtime: RuntimeDep,
    _: Annotated[Actor, Depends(authorize("statistics.read"))],
    quarter: Annotated[SafeText, Query(pattern=r"^\d{4}Q[1-4]$", description="YYYYQn")],
    format: Annotated[Format, Query(description="pdf or docx")] = Format.pdf,
) -> Response:
    """The quarter's statistics as a report (文号, 成文日期, tables, two charts): the archived
    one once a leader has signed it off, else a draft rendered now."""
    found = service.files(
        runtime.sessions,
        runtime.settings,
        runtime.archive,
        runtime.converter,
        quarter,
        pdf=format == Format.pdf,
    )
    body = found.pdf if format == Format.pdf else found.docx
    mime = service.PDF_MIME if format == Format.pdf else service.DOCX_MIME
    name = quote(f"{quarter}季度统计报告{'' if found.signed else '（草稿）'}.{format.value}")
    return Response(
        body,
        media_type=mime,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Report-Status": "signed" if found.signed else "draft",
        },
    )


@router.post("/quarterly/{quarter}/sign", response_model=SignedOut, status_code=201)
def sign_report(
    quarter: Quarter,
    response: Response,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("reports.sign"))],
) -> SignedOut:
    """Sign the quarter's report off: dated today, numbered, archived with permanent
    retention, audited; 201 when signed now, 200 with the record when already signed."""
    row, created = service.sign(
        runtime.sessions, runtime.settings, runtime.archive, runtime.converter, actor, quarter
    )
    response.status_code = 201 if created else 200
    return _out(row)
