"""A small python-docx layer for official-notice layouts with docxtpl tags.

Every Jinja tag is written as its own run so that no tag is ever split across runs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from doc_templates.authoring import watermark
from doc_templates.authoring.style import (
    BODY_FONT,
    CELL_MARGIN_TWIPS,
    HEADING_FONT,
    LINE_PITCH,
    PAGE_FONT,
    QR_SIZE_MM,
    SIZE_AGENCY,
    SIZE_BODY,
    SIZE_PAGE_NO,
    SIZE_SMALL,
    SIZE_TABLE,
    SIZE_TITLE,
    TABLE_FONT,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    B,
    Block,
    If,
    Loop,
    Part,
    Parts,
    Space,
    add_run,
    field,
    is_tag,
    set_font,
)

FIXED_TIME = datetime(2026, 1, 1)


class TemplateDoc:
    """One template under construction."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.doc: DocxDocument = Document()
        self._setup_page()
        self._setup_styles()
        self.last_body: Paragraph | None = None

    # -- page, styles, header/footer ---------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(6)

    def _setup_styles(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_font(rpr_default, BODY_FONT)
        for name in ("Normal", "Header", "Footer", "Table Grid"):
            style = self.doc.styles[name]
            set_font(style.element.get_or_add_rPr(), BODY_FONT)
        normal = self.doc.styles["Normal"]
        normal.font.size = SIZE_BODY
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.widow_control = True  # no line of a paragraph left alone

    def header_footer(self, placeholder_png: bytes, *, initials: str = "") -> None:
        """Specimen watermark in the header; index line, page number and QR in the footer.

        ``initials``: the parties' 逐页签名 line (``INITIALS_LINE`` for the interview record),
        added to the footer so that it is on every page.
        """
        section = self.doc.sections[0]
        header = section.header
        header.is_linked_to_previous = False
        start, mark, end = header.paragraphs[0], header.add_paragraph(), header.add_paragraph()
        header.add_paragraph()  # a header must keep one paragraph when the mark is dropped
        add_run(start, "{%p if doc.specimen %}", face=BODY_FONT, size=SIZE_SMALL)
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(
            mark,
            "样本（无效）",
            face=HEADING_FONT,
            size=SIZE_TITLE,
            bold=True,
            color=RGBColor(0xC0, 0, 0),
        )
        mark._p.append(parse_xml(watermark.vml_run("样本")))
        add_run(end, "{%p endif %}", face=BODY_FONT, size=SIZE_SMALL)

        footer = section.footer
        footer.is_linked_to_previous = False
        table = footer.add_table(rows=1, cols=2, width=Mm(TEXT_WIDTH_MM))
        self._fix_table(table, [TEXT_WIDTH_MM - 26, 26], borders=False)
        left, right = table.rows[0].cells
        left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        first = left.paragraphs[0]
        if initials:
            first.alignment = WD_ALIGN_PARAGRAPH.LEFT
            first.paragraph_format.space_after = Pt(4)
            add_run(first, initials, face=BODY_FONT, size=SIZE_TABLE)
            index = left.add_paragraph()
        else:
            index = first
        index.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(index, "{{ doc.index_line }}", face=BODY_FONT, size=SIZE_SMALL)
        page = left.add_paragraph()
        page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_run(page, "第 ", face=PAGE_FONT, size=SIZE_PAGE_NO)
        page._p.append(field("PAGE", SIZE_PAGE_NO))
        add_run(page, " 页 共 ", face=PAGE_FONT, size=SIZE_PAGE_NO)
        page._p.append(field("NUMPAGES", SIZE_PAGE_NO))
        add_run(page, " 页", face=PAGE_FONT, size=SIZE_PAGE_NO)
        qr = right.paragraphs[0]
        qr.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        qr.add_run().add_picture(
            io.BytesIO(placeholder_png), width=Mm(QR_SIZE_MM), height=Mm(QR_SIZE_MM)
        )
        # The footer paragraph python-docx creates stays empty after the table; keep it tiny.
        tail = footer.paragraphs[0]
        tail.paragraph_format.line_spacing = Pt(1)
        footer._element.remove(tail._p)
        footer._element.append(tail._p)

    # -- headings ------------------------------------------------------------------------------

    def heading(self) -> None:
        """Agency name, document title (二号 小标宋) and the 文号 line."""
        agency = self.doc.paragraphs[0] if self.doc.paragraphs else self.doc.add_paragraph()
        agency.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(agency, "{{ agency.name }}", face=TITLE_FONT, size=SIZE_AGENCY)
        title = self.doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_before = Pt(6)
        title.paragraph_format.space_after = Pt(6)
        title.paragraph_format.keep_with_next = True
        # 小标宋 is heavy by design: no bold (fontconfig gives its substitute the bold weight).
        add_run(title, self.title, face=TITLE_FONT, size=SIZE_TITLE)
        number = self.doc.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        number.paragraph_format.space_after = Pt(8)
        number.paragraph_format.keep_with_next = True
        add_run(number, "{{ doc.doc_no }}", face=BODY_FONT, size=SIZE_BODY)

    def section_title(self, text: str) -> None:
        """A 黑体 sub-heading such as 一、查明的事实, kept with what follows."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(SIZE_BODY.pt * 2)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = LINE_PITCH
        paragraph.paragraph_format.keep_with_next = True
        add_run(paragraph, text, face=HEADING_FONT, size=SIZE_BODY)

    # -- body paragraphs -----------------------------------------------------------------------

    def para(
        self,
        *parts: Part,
        indent: bool = True,
        align: str = "justify",
        face: str = BODY_FONT,
        keep: bool = False,
    ) -> Paragraph:
        """A body paragraph of 三号 仿宋 on the 22-line grid, first line indented two characters.

        ``keep`` keeps it on the page of the paragraph that follows.
        """
        paragraph = self.doc.add_paragraph()
        self._fill(paragraph, parts, SIZE_BODY, face, indent=indent, align=align)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = LINE_PITCH
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        if parts and not is_tag(parts):
            self.last_body = paragraph
        return paragraph

    def loop(self, expr: str, *parts: Part, indent: bool = True, tail: bool = False) -> None:
        """A paragraph repeated once per list item.

        ``tail``: the list ends the body, so its last item is kept with the closing block.
        """
        self.para(f"{{%p for {expr} %}}", indent=False)
        if tail:
            self.para("{%p if loop.last %}", indent=False)
            self.para(*parts, indent=indent, keep=True)
            self.para("{%p else %}", indent=False)
            self.para(*parts, indent=indent)
            self.para("{%p endif %}", indent=False)
        else:
            self.para(*parts, indent=indent)
        self.para("{%p endfor %}", indent=False)

    def when(self, expr: str, *parts: Part, indent: bool = True, keep: bool = False) -> None:
        """A paragraph shown only when ``expr`` holds."""
        self.para(f"{{%p if {expr} %}}", indent=False)
        self.para(*parts, indent=indent, keep=keep)
        self.para("{%p endif %}", indent=False)

    def blank(self, keep: bool = False) -> Paragraph:
        """An empty body line."""
        return self.para(indent=False, keep=keep)

    def keep_last_body(self) -> None:
        """Keep the last body paragraph written so far with what follows (the closing block)."""
        if self.last_body is not None:
            self.last_body.paragraph_format.keep_with_next = True

    # -- tables ---------------------------------------------------------------------------------

    def table(
        self,
        widths_mm: Sequence[float],
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str | Sequence[Block]]],
        *,
        loop: str | None = None,
        merge: Sequence[tuple[int, int, int]] = (),
        size: Pt = SIZE_TABLE,
        keep: bool = False,
    ) -> Table:
        """A bordered table; with ``loop`` the single data row repeats per list item.

        Rows may split across pages (nothing is ever clipped); the header row repeats on each
        page and never splits. ``merge`` lists (row, first_col, last_col) spans of data rows
        to join horizontally. ``keep`` keeps the table's end with the paragraph after it.
        """
        n_rows = (1 if header else 0) + len(rows) + (2 if loop else 0)
        table = self.doc.add_table(rows=n_rows, cols=len(widths_mm))
        self._fix_table(table, widths_mm, borders=True)
        r = 0
        if header:
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                self._cell(cell, [[B(text)]], align="center", size=size)
            _repeat_header(table.rows[0])
            r = 1
        if loop:
            self._cell(table.rows[r].cells[0], [[f"{{%tr for {loop} %}}"]])
            r += 1
        for i, row in enumerate(rows):
            cells = table.rows[r + i].cells
            for cell, content, width in zip(cells, row, widths_mm, strict=True):
                blocks: Sequence[Block]
                blocks = [[content]] if isinstance(content, str) else content
                # Short values (numbers, dates) are centred in list tables, text is justified.
                align = "center" if loop and width <= 26 else "left"
                self._cell(cell, blocks, align=align, size=size)
        for row_index, first, last in merge:
            cells = table.rows[r + row_index].cells
            cells[first].merge(cells[last])
        if loop:
            self._cell(table.rows[r + len(rows)].cells[0], [["{%tr endfor %}"]])
        if keep:
            for paragraph in table._tbl.iter(qn("w:p")):
                ppr = paragraph.get_or_add_pPr()
                ppr.insert(0, OxmlElement("w:keepNext"))
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.line_spacing = Pt(8)
        spacer.paragraph_format.keep_with_next = keep or None
        return table

    def _cell(
        self, cell: _Cell, blocks: Sequence[Block], align: str = "left", size: Pt = SIZE_TABLE
    ) -> None:
        first = True
        for block in blocks:
            if isinstance(block, Loop | If):
                tag = "for" if isinstance(block, Loop) else "if"
                end = "endfor" if isinstance(block, Loop) else "endif"
                self._cell_para(cell, [f"{{%p {tag} {block.expr} %}}"], first, align, size)
                self._cell_para(cell, block.parts, False, align, size)
                self._cell_para(cell, [f"{{%p {end} %}}"], False, align, size)
            elif isinstance(block, Space):
                for index in range(block.lines):
                    paragraph = self._cell_para(cell, [], first and not index, align, size)
                    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    paragraph.paragraph_format.line_spacing = LINE_PITCH
            else:
                self._cell_para(cell, block, first, align, size)
            first = False
        # Top: a long cell split across pages starts right under the row's top border.
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    def _cell_para(self, cell: _Cell, parts: Parts, first: bool, align: str, size: Pt) -> Paragraph:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        self._fill(paragraph, parts, size, TABLE_FONT, indent=False, align=align)
        return paragraph

    def _fix_table(self, table: Table, widths_mm: Sequence[float], *, borders: bool) -> None:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if borders:
            table.style = self.doc.styles["Table Grid"]
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        # 1 mm each side instead of Word's 1.9 mm: narrow columns keep 序号 and dates whole.
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.append(margins)
        width = tbl_pr.find(qn("w:tblW"))
        if width is None:
            width = OxmlElement("w:tblW")
            tbl_pr.append(width)
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
        for col, mm in zip(table.columns, widths_mm, strict=True):
            col.width = Mm(mm)
            for cell in col.cells:
                cell.width = Mm(mm)

    @staticmethod
    def _fill(
        paragraph: Paragraph, parts: Parts, size: Pt, face: str, *, indent: bool, align: str
    ) -> None:
        paragraph.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
        for part in parts:
            if isinstance(part, B):
                add_run(paragraph, part.text, face=face, size=size, bold=True)
            elif part:
                add_run(paragraph, part, face=face, size=size)

    # -- output ----------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The DOCX as written by python-docx, with fixed core properties."""
        props = self.doc.core_properties
        props.title = self.title
        props.author = "法制科"
        props.last_modified_by = "法制科"
        props.created = props.modified = FIXED_TIME
        props.revision = 1
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_header(row: object) -> None:
    """The row repeats at the top of every page the table runs onto, and never splits."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))
