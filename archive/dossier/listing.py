"""The 卷内文书清单 (DA/T 22 卷内目录): one row per document or material, laid out and drawn.

Columns 序号, 文号, 责任者, 文书名称, 日期 (YYYYMMDD), 页号 (first-last, counted over the
documents' own pages) and 备注. A long value wraps and its row grows; rows never split, and the
header repeats on every page of the list. The list's pages carry no 页号.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.dossier.page import FrontPage

TITLE = "卷内文书清单"
HEADERS = ("序号", "文号", "责任者", "文书名称", "日期", "页号", "备注")
WIDTHS = (10.0, 44.0, 30.0, 40.0, 20.0, 16.0, 14.0)
ALIGN = "CLLLCCL"
SIZE = 10.5
_LEFT = (210 - sum(WIDTHS)) / 2
_HEADER_Y = 46.0
_HEADER_H = 10.0
_MIN_ROW_H = 9.0
_BOTTOM = 277.0


@dataclass(frozen=True)
class ListRow:
    """One document's line in the list."""

    number: int  # 序号: the running number in the list
    doc_no: str
    author: str  # 责任者
    title: str
    dated: date
    first: int | None  # 页号 of its first page, counted from 1; None: no pages (audio, video)
    last: int | None
    remark: str = ""

    @property
    def page_range(self) -> str:
        """The 页号 cell: "3-4", "3" for a one-page document, "" for one without pages."""
        if self.first is None or self.last is None:
            return ""
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def cells(self) -> tuple[str, ...]:
        """The printed values, in column order."""
        return (
            str(self.number),
            self.doc_no,
            self.author,
            self.title,
            self.dated.strftime("%Y%m%d"),
            self.page_range,
            self.remark,
        )


@dataclass(frozen=True)
class _Laid:
    cells: list[list[str]]  # each cell's lines
    height: float


def list_text(rows: list[ListRow]) -> str:
    """Every string the list prints, for choosing fonts before drawing."""
    return (
        TITLE + "（续）案号档号" + "".join(HEADERS) + "".join("".join(row.cells()) for row in rows)
    )


def paginate(pdf: FrontPage, rows: list[ListRow]) -> list[list[_Laid]]:
    """The rows laid out (wrapped) and grouped into pages; at least one page."""
    pages: list[list[_Laid]] = [[]]
    y = _HEADER_Y + _HEADER_H
    for row in rows:
        cells = [
            pdf.lines(w, text or " ", SIZE) for w, text in zip(WIDTHS, row.cells(), strict=True)
        ]
        height = max(_MIN_ROW_H, max(len(c) for c in cells) * pdf.line_height(SIZE) + 3)
        if y + height > _BOTTOM and pages[-1]:
            pages.append([])
            y = _HEADER_Y + _HEADER_H
        pages[-1].append(_Laid(cells, height))
        y += height
    return pages


def draw_list(pdf: FrontPage, pages: list[list[_Laid]], *, case_no: str, archive_no: str) -> None:
    """Draw the laid-out list on new pages (the header repeats on each)."""
    for page_index, laid in enumerate(pages):
        pdf.add_page()
        pdf.set_xy(20, 20)
        with pdf.bold(0.6):
            pdf.set_font_size(20)
            pdf.cell(170, 12, TITLE + ("（续）" if page_index else ""), align="C")
        pdf.set_xy(_LEFT, 36)
        pdf.fitted_cell(sum(WIDTHS) / 2, 7, f"案号：{case_no}", size=11, align="L", border=0)
        pdf.fitted_cell(sum(WIDTHS) / 2, 7, f"档号：{archive_no}", size=11, align="R", border=0)
        x = _LEFT
        for width, header in zip(WIDTHS, HEADERS, strict=True):
            pdf.rect(x, _HEADER_Y, width, _HEADER_H)
            with pdf.bold(0.35):  # no border inside: the stroke width would thicken it
                pdf.box(x, _HEADER_Y, width, _HEADER_H, [header], size=11, border=False)
            x += width
        y = _HEADER_Y + _HEADER_H
        for row in laid:
            x = _LEFT
            for width, lines, align in zip(WIDTHS, row.cells, ALIGN, strict=True):
                pdf.box(x, y, width, row.height, lines, size=SIZE, align=align)
                x += width
            y += row.height
