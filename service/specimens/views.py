"""Specimens for integrators: render a payload, marked 样本, with no number and no record."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import ConfigDict, Field

from doc_templates.converter import ConversionError
from service.audit.service import Actor
from service.cases.schemas import PartyIn
from service.deps import ReadSessionDep, RuntimeDep, authorize
from service.documents.pdf import PDF_MIME, PdfFailed
from service.documents.service import DOCX_MIME, resolve_template, validate_data
from service.errors import FieldError
from service.openapi import errors
from service.schemas import RequestModel
from service.specimens.service import render_specimen_data
from service.templates.service import current_revision

router = APIRouter(prefix="/api/v1", tags=["specimens"])


class SpecimenCase(RequestModel):
    """Case facts to show on the specimen (optional)."""

    model_config = ConfigDict(extra="forbid")

    party: PartyIn | None = Field(default=None, title="当事人")
    cause: str | None = Field(default=None, max_length=2000, title="约谈事由")


class SpecimenRequest(RequestModel):
    """Render a template as a specimen."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(min_length=1, max_length=8, title="文书模板编号", examples=["07"])
    data: dict[str, Any] = Field(title="文书内容")
    format: Literal["docx", "pdf"] = Field(default="docx", title="格式")
    case: SpecimenCase | None = Field(default=None, title="案件信息")


@router.post(
    "/render",
    response_class=Response,
    responses={
        200: {"content": {DOCX_MIME: {}, PDF_MIME: {}}, "description": "The specimen"},
        **errors(404, 502),
    },
)
def render(
    body: SpecimenRequest,
    runtime: RuntimeDep,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("specimens.render"))],
) -> Response:
    """Render ``data`` with a template as a specimen marked 样本: nothing is numbered or kept."""
    template = resolve_template(body.template)
    data = validate_data(template, body.data)
    case = body.case.model_dump(exclude_none=True) if body.case else None
    try:
        revision = current_revision(session, runtime.documents, template)  # the active one
        docx = render_specimen_data(runtime.settings, template, data, case, revision)
        content = runtime.converter().convert(docx) if body.format == "pdf" else docx
    except ValueError as exc:  # bad case facts
        raise FieldError([{"field": "case", "message": str(exc), "label": "案件信息"}]) from exc
    except ConversionError as exc:
        raise PdfFailed(f"PDF conversion failed: {exc}") from exc
    media = PDF_MIME if body.format == "pdf" else DOCX_MIME
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="specimen-{template.code}.{body.format}"',
            "X-Specimen": "true",
        },
    )
