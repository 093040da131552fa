"""The archive cover: filing stamp (归档章), title, case fields and the dossier's QR code."""

from __future__ import annotations

import io
from datetime import date

from archive.dossier.models import DossierCover
from archive.dossier.page import FrontPage
from doc_templates.qr import qr_png

TITLE = "行政约谈案件档案"
_STAMP_WIDTHS = (22.0, 22.0, 36.0)
_STAMP_CELL_H = 7.0
_TABLE_X = 30.0
_LABEL_W = 36.0
_VALUE_W = 114.0
_ROW_H = 13.0
_QR_SIZE = 34.0


def cover_text(cover: DossierCover) -> str:
    """Every string the cover prints, for choosing fonts before drawing."""
    return "".join(
        [
            TITLE,
            cover.agency_name,
            cover.fonds_no,
            cover.retention_label,
            cover.archive_no,
            cover.case_no,
            cover.party,
            cover.verify_url,
            "全宗号年度件号保管期限页数档号案号当事人"
            "约谈日期文书件数立卷单位扫码核验本档案归档章年月日共页0123456789",
        ]
    )


def format_date(day: date | None) -> str:
    """Chinese long date: 2026年3月5日 (blank when unknown)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def draw_cover(pdf: FrontPage, cover: DossierCover, *, pages: int, documents: int) -> None:
    """Draw the cover on a new page."""
    pdf.add_page()
    _draw_stamp(pdf, cover, pages)
    pdf.set_xy(20, 62)
    pdf.set_font_size(18)
    pdf.cell(170, 10, cover.agency_name, align="C")
    pdf.set_xy(20, 80)
    with pdf.bold(0.9):
        pdf.set_font_size(30)
        pdf.cell(170, 16, pdf.spaced(TITLE), align="C")
    rows = [
        ("案    号", cover.case_no),
        ("当 事 人", cover.party),
        ("约谈日期", format_date(cover.interview_date)),
        ("保管期限", cover.retention_label),
        ("档    号", cover.archive_no),
        ("文书件数", f"{documents} 件，共 {pages} 页"),
    ]
    top = 112.0
    for index, (label, value) in enumerate(rows):
        pdf.set_xy(_TABLE_X, top + index * _ROW_H)
        pdf.fitted_cell(_LABEL_W, _ROW_H, label, size=13)
        pdf.fitted_cell(_VALUE_W, _ROW_H, value, size=13, align="L")
    _draw_qr(pdf, cover.verify_url, top + len(rows) * _ROW_H + 14)
    pdf.set_xy(20, 270)
    pdf.set_font_size(13)
    pdf.cell(170, 8, f"立卷单位：{cover.agency_name}", align="C")


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


def _draw_qr(pdf: FrontPage, url: str, y: float) -> None:
    x = (210 - _QR_SIZE) / 2
    pdf.image(io.BytesIO(qr_png(url)), x=x, y=y, w=_QR_SIZE, h=_QR_SIZE)
    pdf.set_xy(20, y + _QR_SIZE + 1)
    pdf.set_font_size(10)
    pdf.cell(170, 5, "扫码核验本档案", align="C")
    pdf.set_xy(20, y + _QR_SIZE + 6)
    pdf.fitted_cell(170, 4, url, size=7, border=0)
