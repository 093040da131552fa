"""The twelve numbered templates: field models, DOCX files, renderer, lint and PDF conversion."""

from doc_templates.catalogue import Template, UnknownTemplate, all_templates, get_template
from doc_templates.context import CATEGORY_LABELS, Category, PartyFacts, RenderContext
from doc_templates.fields import FIELD_MODELS, field_label
from doc_templates.jinja_context import cn_date
from doc_templates.pdf import PdfConversionError, docx_to_pdf
from doc_templates.qr import qr_png
from doc_templates.renderer import RenderError, Revision, render_docx, render_docx_naive

__all__ = [
    "CATEGORY_LABELS",
    "FIELD_MODELS",
    "Category",
    "PartyFacts",
    "PdfConversionError",
    "RenderContext",
    "RenderError",
    "Revision",
    "Template",
    "UnknownTemplate",
    "all_templates",
    "cn_date",
    "docx_to_pdf",
    "field_label",
    "get_template",
    "qr_png",
    "render_docx",
    "render_docx_naive",
]
