"""The list of documents in the file (卷内文书清单): rows, pagination and drawing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from archive.dossier.page import FrontPage

TITLE = "卷内文书清单"
HEADERS = ("序号", "文书名称", "文号", "日期", "页数", "起止页")
WIDTHS = (13.0, 50.0, 50.0, 25.0, 14.0, 22.0)
ROWS_PER_PAGE = 23
_LEFT = (210 - sum(WIDTHS)) / 2
_HEADER_Y = 46.0
_HEADER_H = 10.0
_ROW_H = 9.0


@dataclass(frozen=True)
class ListRow:
    """One document's line in the list; pages are 1-based within the whole dossier."""

    number: int  # 序号: the running number in the list
    title: str
    doc_no: str
    issued_on: date
    start: int
    end: int

    @property
    def pages(self) -> int:
        """How many pages the document has."""
        return self.end - self.start + 1

    @property
    def page_range(self) -> str:
        """The 起止页 cell: "3-4", or "3" for a one-page document."""
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    def cells(self) -> tuple[str, ...]:
        """The printed values, in column order."""
        return (
            str(self.number),
            self.title,
            self.doc_no,
            self.issued_on.isoformat(),
            str(self.pages),
            self.page_range,
        )


def list_page_count(rows: int) -> int:
    """How many pages the list of ``rows`` documents takes (at least one)."""
    return max(1, math.ceil(rows / ROWS_PER_PAGE))


def list_text(rows: list[ListRow]) -> str:
    """Every string the list prints, for choosing fonts before drawing."""
    return (
        TITLE
        + "（续）案号档号第页共"
        + "".join(HEADERS)
        + "".join("".join(row.cells()) for row in rows)
    )


def draw_list(
    pdf: FrontPage,
    rows: list[ListRow],
    *,
    case_no: str,
    archive_no: str,
    first_page: int,
    total: int,
) -> None:
    """Draw the list on as many new pages as it needs (the header repeats on each)."""
    for page_index in range(list_page_count(len(rows))):
        chunk = rows[page_index * ROWS_PER_PAGE : (page_index + 1) * ROWS_PER_PAGE]
        pdf.add_page()
        pdf.set_xy(20, 20)
        with pdf.bold(0.6):
            pdf.set_font_size(20)
            pdf.cell(170, 12, TITLE + ("（续）" if page_index else ""), align="C")
        pdf.set_xy(_LEFT, 36)
        pdf.fitted_cell(sum(WIDTHS) / 2, 7, f"案号：{case_no}", size=11, align="L", border=0)
        pdf.fitted_cell(sum(WIDTHS) / 2, 7, f"档号：{archive_no}", size=11, align="R", border=0)
        _draw_row(pdf, _HEADER_Y, _HEADER_H, HEADERS, size=11, bold=True)
        for index, row in enumerate(chunk):
            _draw_row(pdf, _HEADER_Y + _HEADER_H + index * _ROW_H, _ROW_H, row.cells(), size=10.5)
        pdf.set_xy(20, 280)
        pdf.set_font_size(9)
        pdf.cell(170, 5, f"第 {first_page + page_index} 页  共 {total} 页", align="C")


def _draw_row(
    pdf: FrontPage,
    y: float,
    height: float,
    cells: tuple[str, ...],
    *,
    size: float,
    bold: bool = False,
) -> None:
    pdf.set_xy(_LEFT, y)
    for width, text, align in zip(WIDTHS, cells, "CLLCCC", strict=True):
        x = pdf.get_x()
        pdf.rect(x, y, width, height)
        if bold:
            with pdf.bold(0.35):
                pdf.fitted_cell(width, height, text, size=size, border=0)
        else:
            pdf.fitted_cell(width, height, text, size=size, align=align, border=0)
        pdf.set_xy(x + width, y)
