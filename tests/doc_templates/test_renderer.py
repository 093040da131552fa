from __future__ import annotations

import io
import zipfile

import docx
import PIL.Image
import pytest
import zxingcpp
from docx.shared import Mm, Pt

from doc_templates import RenderError, all_templates, get_template, render_docx, render_docx_naive
from doc_templates.fields import ClueReport
from doc_templates.renderer import CompiledDocx
from doc_templates.samples import sample_context, sample_data

from .conftest import docx_text, valid

CODES = [t.code for t in all_templates()]


@pytest.mark.parametrize("code", CODES)
def test_every_template_renders_with_case_facts(code):
    template = get_template(code)
    ctx = sample_context(code)
    text = "\n".join(docx_text(render_docx(template, ctx, valid(template))))
    for expected in (
        ctx.agency_name,
        template.name,
        ctx.doc_no,
        ctx.case_no,
        ctx.party.name,
        ctx.index_line,
    ):
        assert expected in text, expected
    if code not in ("03", "07", "M02"):  # the review date and the signers' own dates stand for it
        assert "2026年11月22日" in text
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert "样本" not in text


SERVED = ("04", "05", "08", "10", "11", "12", "G01", "M03")


@pytest.mark.parametrize("code", CODES)
def test_only_documents_served_on_the_party_carry_the_seal(code):
    template = get_template(code)
    ctx = sample_context(code)
    lines = docx_text(render_docx(template, ctx, valid(template)))
    if code in SERVED:
        # GB/T 9704: the seal over the agency name, the date right under it
        at = lines.index("（印章）")
        assert lines[at + 1 : at + 3] == [ctx.agency_name, "2026年11月22日"]
    else:
        assert "（印章）" not in lines
        assert ctx.agency_name not in lines[1:]  # only in the heading


@pytest.mark.parametrize("code", CODES)
def test_fast_and_naive_render_the_same_text(code):
    template = get_template(code)
    ctx, data = sample_context(code), valid(template)
    assert docx_text(render_docx(template, ctx, data)) == docx_text(
        render_docx_naive(template, ctx, data)
    )


@pytest.mark.parametrize("code", CODES)
def test_qr_code_decodes_to_verify_url(code):
    template = get_template(code)
    ctx = sample_context(code)
    rendered = render_docx(template, ctx, valid(template))
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        assert zf.testzip() is None
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert media == ["word/media/qr.png"]
        png = zf.read("word/media/qr.png")
    [barcode] = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))
    assert barcode.text == ctx.verify_url


def test_qr_is_22mm_in_the_footer():
    template = get_template("07")
    rendered = render_docx(template, sample_context("07"), valid(template))
    document = docx.Document(io.BytesIO(rendered))
    shapes = document.sections[0].footer.part.element.xpath(".//wp:inline/wp:extent")
    assert len(shapes) == 1
    assert abs(int(shapes[0].get("cx")) - Mm(22)) < Mm(0.5)


def test_interview_record_tables_hold_the_data():
    template = get_template("07")
    data = valid(template)
    document = docx.Document(io.BytesIO(render_docx(template, sample_context("07"), data)))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "王某某" in cells and "门店店长（委托代理人）" in cells
    assert "2026年9月30日" in cells
    assert data.items[1].standard in cells  # type: ignore[attr-defined]


def test_markup_characters_are_escaped():
    template = get_template("07")
    text = "\n".join(docx_text(render_docx(template, sample_context("07"), valid(template))))
    assert "<8℃ & 建立每日温度记录台账" in text


def test_a_newline_in_a_field_starts_a_new_paragraph_with_the_body_indent():
    template = get_template("01")
    data = ClueReport.model_validate(sample_data("01") | {"facts": "第一段\r\n\n  第二段"})
    rendered = render_docx(template, sample_context("01"), data)
    document = docx.Document(io.BytesIO(rendered))
    first, second = (p for p in document.paragraphs if p.text in ("第一段", "第二段"))
    assert first.paragraph_format.first_line_indent == Pt(32)
    assert second.paragraph_format.first_line_indent == Pt(32)
    assert first.paragraph_format.alignment == second.paragraph_format.alignment
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        assert "<w:br/>" not in zf.read("word/document.xml").decode()


def test_specimen_is_marked():
    template = get_template("04")
    ctx = sample_context("04", specimen=True)
    rendered = render_docx(template, ctx, valid(template))
    assert "样本（无效）" in docx_text(rendered)
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        header = zf.read("word/header1.xml").decode()
    assert 'string="样本"' in header  # the diagonal watermark


def test_wrong_model_is_rejected():
    with pytest.raises(TypeError):
        render_docx(get_template("02"), sample_context("02"), valid(get_template("01")))


def _loop_template(path):
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    table = document.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for r in rows %}"
    table.rows[1].cells[0].text = "{{ r.no }}"
    table.rows[1].cells[1].text = "{{ r.item }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    document.save(path)


def test_a_compiled_docx_renders_any_template_with_plain_data(tmp_path):
    _loop_template(tmp_path / "notice.docx")
    compiled = CompiledDocx.load(tmp_path / "notice.docx")
    rows = [{"no": "1", "item": "冷藏 <8℃ & 台账"}, {"no": "2", "item": "健康证"}]
    rendered = compiled.render({"title": "约谈通知书", "rows": rows})
    texts = [text for text in docx_text(rendered) if text]  # less the empty header and footer
    assert texts == ["约谈通知书", "1", "冷藏 <8℃ & 台账", "2", "健康证"]
    assert compiled.render({"title": "约谈通知书", "rows": rows}) == rendered


def test_a_compiled_docx_needs_its_fill_in_members(tmp_path):
    _loop_template(tmp_path / "notice.docx")
    with pytest.raises(RenderError, match=r"word/media/qr\.png"):
        CompiledDocx.load(tmp_path / "notice.docx", fill_in=["word/media/qr.png"])
