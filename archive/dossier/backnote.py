"""The 卷内备考表 (DA/T 22): the file's count, its voided and later-filed documents, who filed
and who checked it, and when. It closes the dossier and, like the cover, carries no 页号."""

from __future__ import annotations

from archive.dossier.cover import format_date
from archive.dossier.models import DossierCover
from archive.dossier.page import FrontPage

TITLE = "卷内备考表"
_LEFT, _WIDTH = 25.0, 160.0
_SIZE = 14.0


def backnote_lines(cover: DossierCover, documents: int, pages: int) -> list[str]:
    """The 本卷情况说明: count first, then voided and supplemented documents, one per line."""
    lines = [f"本卷共 {documents} 件 {pages} 页（封面、卷内文书清单和本表不计页数）。"]
    if cover.voided:
        lines.append("作废文书：")
        lines += [f"  {item}" for item in cover.voided]
    if cover.supplemented:
        lines.append("补充归档文书：")
        lines += [f"  {item}" for item in cover.supplemented]
    if not cover.voided and not cover.supplemented:
        lines.append("本卷无作废或补充归档的文书。")
    return lines


def backnote_text(cover: DossierCover) -> str:
    """Every string the table prints, for choosing fonts before drawing."""
    return "".join(
        [
            TITLE,
            "本卷情况说明共件页封面卷内文书清单和本表不计页数作废补充归档无或的",
            "立卷人检查人立卷时间年月日：",
            cover.filed_by,
            cover.checked_by,
            *cover.voided,
            *cover.supplemented,
        ]
    )


def draw_backnote(pdf: FrontPage, cover: DossierCover, *, documents: int, pages: int) -> None:
    """Draw the table on a new page; a long list of notes wraps, never leaves the box."""
    pdf.add_page()
    pdf.set_xy(20, 22)
    with pdf.bold(0.6):
        pdf.set_font_size(20)
        pdf.cell(170, 12, TITLE, align="C")
    top = 44.0
    pdf.box(_LEFT, top, _WIDTH, 10, ["本卷情况说明"], size=_SIZE)
    notes: list[str] = []
    for line in backnote_lines(cover, documents, pages):
        notes += pdf.lines(_WIDTH - 8, line, _SIZE - 1)
    body_h = max(150.0, len(notes) * pdf.line_height(_SIZE - 1) + 10)
    pdf.rect(_LEFT, top + 10, _WIDTH, body_h)
    pdf.set_font_size(_SIZE - 1)
    for index, line in enumerate(notes):
        pdf.set_xy(_LEFT + 4, top + 15 + index * pdf.line_height(_SIZE - 1))
        pdf.cell(_WIDTH - 8, pdf.line_height(_SIZE - 1), line, align="L")
    y = top + 10 + body_h + 8
    signed = (
        ("立卷人：", cover.filed_by, format_date(cover.filed_on)),
        ("检查人：", cover.checked_by, format_date(cover.filed_on)),
    )
    pdf.set_font_size(_SIZE)
    for label, name, day in signed:
        pdf.set_xy(_LEFT + 60, y)
        pdf.cell(_WIDTH - 60, 9, f"{label}{name}", align="L")
        pdf.set_xy(_LEFT + 60, y + 9)
        pdf.cell(_WIDTH - 60, 9, day or "    年  月  日", align="L")
        y += 22
    pdf.set_xy(_LEFT + 60, y)
    pdf.cell(_WIDTH - 60, 9, f"立卷时间：{format_date(cover.filed_on)}", align="L")
