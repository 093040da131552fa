from __future__ import annotations

import io

import pypdf
import pytest

from doc_templates import docx_to_pdf, get_template, render_docx
from doc_templates.samples import sample_context

from .conftest import valid


@pytest.mark.slow
def test_rendered_notice_converts_to_pdf_with_chinese_text():
    template = get_template("04")
    ctx = sample_context("04")
    pdf = docx_to_pdf(render_docx(template, ctx, valid(template)))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert ctx.party.name in text
