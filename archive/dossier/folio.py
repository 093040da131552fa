"""页号 (DA/T 22): each page of the documents numbered at the top right, counting from 1.

The numbers are drawn on an overlay (the cover's embedded CJK font, digits only) and merged
onto the document pages; the cover, the 卷内文书清单 and the 卷内备考表 get none.
"""

from __future__ import annotations

from pypdf import PageObject

from archive.dossier.page import FrontPage

_MM = 72 / 25.4
_RIGHT, _TOP = 15.0, 10.0  # mm from the page's right and top edges
_SIZE = 14.0  # 四号


def draw_page_numbers(pdf: FrontPage, pages: list[PageObject], first: int = 1) -> None:
    """Add to ``pdf`` one overlay page per page of ``pages``, of its size, carrying its 页号
    (``first``, ``first + 1`` …) at the top right: drawn in the document that draws the cover,
    so that the CJK font is read and subset once per dossier."""
    for number, page in enumerate(pages, start=first):
        width, height = float(page.mediabox.width) / _MM, float(page.mediabox.height) / _MM
        pdf.add_page(format=(width, height))
        pdf.set_font_size(_SIZE)
        pdf.set_xy(width - _RIGHT - 30, _TOP)
        pdf.cell(30, 7, str(number), align="R")


def apply_page_numbers(pages: list[PageObject], stamps: list[PageObject]) -> None:
    """Merge each overlay of ``draw_page_numbers`` onto its page, in place."""
    for page, stamp in zip(pages, stamps, strict=True):
        x0, y0 = float(page.mediabox.left), float(page.mediabox.bottom)
        if x0 or y0:
            stamp.add_transformation((1, 0, 0, 1, x0, y0))
        page.merge_page(stamp)
