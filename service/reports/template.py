"""The quarterly report's DOCX template, built once with python-docx in the shape of an issued
document (GB/T 9704: A4, 发文机关标志, 文号, red rule, 二号 小标宋 title, 三号 仿宋 body, 落款
and 成文日期), its variable parts as Jinja tags and its two charts as pictures the renderer
fills in — then compiled by the same renderer as the twelve templates."""

from __future__ import annotations

import functools
import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image

from doc_templates.renderer import CompiledDocx
from service.reports.charts import HEIGHT_CM, WIDTH_CM

CHARTS = ("word/media/image1.png", "word/media/image2.png")
RED = RGBColor(0xC0, 0x00, 0x00)
# Table columns: (header, the Jinja expression of a row ``r``)
SECTION_COLUMNS = (  # (header, the key of a row's preformatted cell)
    ("科室", "section"),
    ("受理", "cases_opened"),
    ("结案", "cases_closed"),
    ("约谈", "interviews_held"),
    ("整改合格率", "rectification_pass_rate"),
    ("超期率", "overdue_rate"),
    ("当前超期", "steps_overdue_now"),
    ("15日内启动", "clue_to_start_within_15_share"),
)


def _font(run_or_style: object, family: str, size: float, bold: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold = family, Pt(size), bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), family)


def _para(
    doc: object, text: str, family: str = "仿宋_GB2312", size: float = 16, **kw: object
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = kw.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)  # type: ignore[assignment]
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(kw.get("line", 28.9))  # type: ignore[arg-type]
    if kw.get("indent"):
        fmt.first_line_indent = Pt(size * 2)
    run = p.add_run(text)
    _font(run, family, size, bool(kw.get("bold")))
    if kw.get("color") is not None:
        run.font.color.rgb = kw["color"]
    return p


def _red_rule(p: Paragraph) -> None:
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr.insert(0, border)  # pBdr comes before spacing and jc in a paragraph's properties


def _cell(cell: object, text: str, bold: bool = False) -> None:
    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    _font(run, "黑体" if bold else "仿宋_GB2312", 10.5, False)


def _table(doc: object, header: list[str], loop: str, cells: list[str]) -> Table:
    """A table whose body rows repeat ``{%tr for … %}`` over ``loop``."""
    table: Table = doc.add_table(rows=4, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        _cell(table.rows[0].cells[i], text, bold=True)
    _cell(table.rows[1].cells[0], f"{{%tr for r in {loop} %}}")
    for i, expr in enumerate(cells):
        _cell(table.rows[2].cells[i], f"{{{{ {expr} }}}}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    return table


def _placeholder(color: str) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (int(WIDTH_CM * 20), int(HEIGHT_CM * 20)), color).save(out, "PNG")
    out.seek(0)
    return out


def build_docx() -> bytes:
    """The template as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "{{ agency }}", "方正小标宋简体", 26, align=center, color=RED, line=40)
    _para(doc, "", size=10)
    rule = _para(doc, "{{ doc_no }}", align=center)
    _red_rule(rule)
    _para(doc, "", size=16)
    _para(doc, "{{ title }}", "方正小标宋简体", 22, align=center, line=36)
    _para(doc, "", size=16)
    _para(doc, "{%p for p in summary %}", size=16)
    _para(doc, "{{ p }}", indent=True)
    _para(doc, "{%p endfor %}", size=16)
    _para(doc, "一、主要指标", "黑体", 16, indent=True)
    _table(
        doc,
        ["指标", "本季度", "目标"],
        "figures",
        ["r.label", "r.value", "r.target"],
    )
    _para(doc, "二、各科室情况", "黑体", 16, indent=True)
    _table(doc, [h for h, _ in SECTION_COLUMNS], "sections", [f"r.{k}" for _, k in SECTION_COLUMNS])
    _para(doc, "三、图表", "黑体", 16, indent=True)
    doc.add_picture(_placeholder("#dddddd"), width=Cm(WIDTH_CM), height=Cm(HEIGHT_CM))
    doc.add_picture(_placeholder("#bbbbbb"), width=Cm(WIDTH_CM), height=Cm(HEIGHT_CM))
    _para(doc, "四、连续超期与评查", "黑体", 16, indent=True)
    _para(doc, "{%p for p in findings %}", size=16)
    _para(doc, "{{ p }}", indent=True)
    _para(doc, "{%p endfor %}", size=16)
    _para(doc, "", size=16)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "{{ agency }}", align=right)
    _para(doc, "{{ issued_on }}", align=right)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@functools.cache
def compiled() -> CompiledDocx:
    """The template compiled by the twelve's renderer, the chart pictures left to fill in."""
    return CompiledDocx.load(build_docx(), fill_in=CHARTS)
