"""Specimens: a template rendered with test data, marked 样本, with no number and no record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from doc_templates import RenderContext, Revision, Template, get_template, render_docx
from doc_templates.context import PartyFacts
from doc_templates.pdf import docx_to_pdf
from service import clock
from service.config import Settings

SPECIMEN_PARTY = PartyFacts(name="（样本）某某有限公司", kind="enterprise")


def specimen_context(settings: Settings, case: dict[str, Any] | None) -> RenderContext:
    """Context for a specimen: case facts as given, numbers replaced by 样本 markers."""
    case = case or {}
    party = PartyFacts.model_validate(case["party"]) if "party" in case else SPECIMEN_PARTY
    return RenderContext(
        agency_name=settings.agency_name,
        case_no=str(case.get("case_no", "（样本案号）")),
        doc_no="（样本，无文号）",
        issued_on=clock.today(),
        party=party,
        cause=str(case.get("cause", "（样本）案由")),  # neutral: specimens of every pack
        verify_url=f"{settings.api_base}/api/v1/verify/SPECIMEN-NOT-VALID",
        index_line="样本 · 无效 · 不作为正式文书",
        specimen=True,
    )


def render_specimen(
    settings: Settings,
    code: str,
    payload: dict[str, Any],
    fmt: Literal["docx", "pdf"] | str,
    convert: Callable[[bytes], bytes] = docx_to_pdf,
) -> bytes:
    """Render template ``code`` as a specimen DOCX or PDF (offline: a cold LibreOffice).

    ``payload`` is the template data, or ``{"case": {...}, "data": {...}}``.
    """
    template = get_template(code)
    try:
        data = template.model.model_validate(payload.get("data", payload))
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
    docx = render_specimen_data(settings, template, data, payload.get("case"))
    return convert(docx) if fmt == "pdf" else docx


def render_specimen_data(
    settings: Settings,
    template: Template,
    data: BaseModel,
    case: dict[str, Any] | None,
    revision: Revision | None = None,
) -> bytes:
    """The specimen DOCX of validated ``data`` (with ``revision``, else the packaged DOCX);
    bad case facts raise ``ValueError``."""
    try:
        ctx = specimen_context(settings, case)
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
    return render_docx(template, ctx, data, revision)
