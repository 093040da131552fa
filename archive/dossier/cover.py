"""The archive cover (DA/T 22 卷皮): filing stamp, title, the case's archive fields and the QR.

Long values (a company's full name, a long 案由) wrap onto more lines of a taller row; they are
never set smaller than 10 pt.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from archive.dossier.models import DossierCover
from archive.dossier.page import FrontPage
from doc_templates.qr import qr_png

LABELS = (
    "全宗号档号案号案由当事人起止日期约谈日期结案日期保管期限件数页数立卷人立卷单位年度件号"
    "归档章扫码核验本档案年月日至共件页0123456789"
)
_STAMP_WIDTHS = (22.0, 22.0, 36.0)
_STAMP_CELL_H = 7.0
_LEFT = 25.0
_WIDTH = 160.0
_LABEL_W = 28.0
_ROW_H = 11.0
_SIZE = 13.0
_QR_SIZE = 30.0


@dataclass(frozen=True)
class CoverFacts:
    """What the cover counts: documents, numbered pages and the span of their dates."""

    documents: int
    pages: int
    first: date | None
    last: date | None


def cover_text(cover: DossierCover) -> str:
    """Every string the cover prints, for choosing fonts before drawing."""
    return "".join(
        [
            cover.title,
            cover.date_label,
            LABELS,
            cover.agency_name,
            cover.fonds_no,
            cover.retention_label,
            cover.archive_no,
            cover.case_no,
            cover.party,
            cover.cause,
            cover.filed_by,
            cover.verify_url,
        ]
    )


def format_date(day: date | None) -> str:
    """Chinese long date: 2026年3月5日 (blank when unknown)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def date_span(first: date | None, last: date | None) -> str:
    """起止日期: "2026年3月2日至2026年3月13日" (one date when both are the same day)."""
    if first is None or last is None:
        return ""
    return format_date(first) if first == last else f"{format_date(first)}至{format_date(last)}"


def rows(cover: DossierCover, facts: CoverFacts) -> list[list[tuple[str, str]]]:
    """The cover's rows, each one or two (label, value) pairs."""
    return [
        [("全 宗 号", cover.fonds_no), ("档    号", cover.archive_no)],
        [("案    号", cover.case_no)],
        [("案    由", cover.cause)],
        [("当 事 人", cover.party)],
        [("起止日期", date_span(facts.first, facts.last))],
        [
            (cover.date_label, format_date(cover.interview_date)),
            ("结案日期", format_date(cover.closed_on)),
        ],
        [("件    数", f"{facts.documents} 件"), ("页    数", f"{facts.pages} 页")],
        [("保管期限", cover.retention_label), ("立 卷 人", cover.filed_by)],
    ]


def draw_cover(pdf: FrontPage, cover: DossierCover, facts: CoverFacts) -> None:
    """Draw the cover on a new page."""
    pdf.add_page()
    _draw_qr(pdf, cover.verify_url)
    _draw_stamp(pdf, cover, facts.pages)
    pdf.set_xy(20, 64)
    pdf.set_font_size(18)
    pdf.cell(170, 10, cover.agency_name, align="C")
    pdf.set_xy(20, 80)
    with pdf.bold(0.9):
        pdf.set_font_size(30)
        pdf.cell(170, 16, pdf.spaced(cover.title), align="C")
    y = 108.0
    for row in rows(cover, facts):
        y += _draw_row(pdf, y, row)
    pdf.set_xy(20, 272)
    pdf.set_font_size(13)
    pdf.cell(170, 8, f"立卷单位：{cover.agency_name}", align="C")


def _draw_row(pdf: FrontPage, y: float, pairs: Sequence[tuple[str, str]]) -> float:
    """One row of label/value cells; the row grows to hold a long value. Returns its height."""
    value_w = _WIDTH / len(pairs) - _LABEL_W
    laid = [
        # a code (档号) shrinks to stay on one line; words (a company's name) wrap first
        (label, *pdf.fit_lines(value_w, value or " ", size=_SIZE, max_lines=_lines(value)))
        for label, value in pairs
    ]
    height = max(_ROW_H, *(len(lines) * pdf.line_height(size) + 3 for _, size, lines in laid))
    x = _LEFT
    for label, size, lines in laid:
        pdf.box(x, y, _LABEL_W, height, [label], size=_SIZE)
        pdf.box(x + _LABEL_W, y, value_w, height, lines, size=size, align="L")
        x += _LABEL_W + value_w
    return height


def _lines(value: str) -> int:
    return 1 if value.isascii() else 3


def _draw_stamp(pdf: FrontPage, cover: DossierCover, pages: int) -> None:
    """The 归档章: two rows of three boxed fields, label above value, at the top right."""
    cells = [
        [("全宗号", cover.fonds_no), ("年度", str(cover.year)), ("件号", str(cover.item_no))],
        [("保管期限", cover.retention_label), ("页数", str(pages)), ("档号", cover.archive_no)],
    ]
    width = sum(_STAMP_WIDTHS)
    left = 190 - width
    pdf.set_draw_color(0)
    for row_index, row in enumerate(cells):
        y = 20 + row_index * 2 * _STAMP_CELL_H
        x = left
        for cell_w, (label, value) in zip(_STAMP_WIDTHS, row, strict=True):
            pdf.set_xy(x, y)
            pdf.fitted_cell(cell_w, _STAMP_CELL_H, label, size=9)
            pdf.set_xy(x, y + _STAMP_CELL_H)
            pdf.fitted_cell(cell_w, _STAMP_CELL_H, value, size=10)
            x += cell_w
    pdf.set_line_width(0.6)
    pdf.rect(left, 20, width, 4 * _STAMP_CELL_H)
    pdf.set_line_width(0.2)
    pdf.set_xy(left, 20 + 4 * _STAMP_CELL_H + 1)
    pdf.set_font_size(8)
    pdf.cell(width, 4, "归档章", align="R")


def _draw_qr(pdf: FrontPage, url: str) -> None:
    """The QR at the top left, opposite the stamp, with its caption."""
    pdf.image(io.BytesIO(qr_png(url)), x=20, y=18, w=_QR_SIZE, h=_QR_SIZE)
    pdf.set_xy(20, 18 + _QR_SIZE)
    pdf.set_font_size(9)
    pdf.cell(_QR_SIZE, 5, "扫码核验本档案", align="C")
