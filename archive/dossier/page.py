"""The fpdf2 page the cover and list are drawn on, with its CJK font and fitted cells."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, cast

from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import TTFFont

from archive.dossier.fonts import full_font, needs_full_font, reduced_font

FONT = "cjk"
FULL_FONT = "cjk-full"
MIN_SIZE = 7.0
READABLE = 10.0  # wrapped text is never set smaller than this
_PAD = 1.5  # mm left free on each side of a cell's text
_LINE = 0.47  # mm of line height per point of type (1.33 lines)


class FrontPage(FPDF):
    """An A4 document whose text is Noto Serif CJK SC, embedded as a subset."""

    def __init__(self, text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(20, 20, 20)
        self.c_margin = _PAD
        self.add_font(FONT, "", str(reduced_font()))
        # Saving the subset would otherwise run every glyph's outline to recompute the font
        # bounding box (~40% of the cover's cost); the full font's box is a safe superset.
        font = self.fonts[FONT]
        if isinstance(font, TTFFont):
            font.ttfont.recalcBBoxes = False
        if needs_full_font(text):
            full = full_font()
            self.add_font(FULL_FONT, "", str(full.path), collection_font_number=full.index)
            self.set_fallback_fonts([FULL_FONT], exact_match=False)
        self.set_font(FONT, "", 12)

    def fitted_cell(
        self,
        w: float,
        h: float,
        text: str,
        *,
        size: float,
        align: str = "C",
        border: Literal[0, 1] = 1,
    ) -> None:
        """A one-line cell whose font shrinks (down to 7 pt) until ``text`` fits its width."""
        x, y = self.get_x(), self.get_y()
        self.set_font_size(size)
        while size > MIN_SIZE and self.get_string_width(text) > w - 2 * _PAD:
            size -= 0.5
            self.set_font_size(size)
        if self.get_string_width(text) <= w - 2 * _PAD:
            self.cell(w, h, text, border=border, align=align)
        else:  # still too long at the smallest size: wrap inside the same box
            if border:
                self.rect(x, y, w, h)
            lines = cast(list[str], self.multi_cell(w, h, text, dry_run=True, output="LINES"))
            line_h = min(h / max(len(lines), 1), size * 0.45)
            self.set_xy(x, y + (h - line_h * len(lines)) / 2)
            self.multi_cell(w, line_h, text, border=0, align=align)
        self.set_xy(x + w, y)

    def lines(self, w: float, text: str, size: float) -> list[str]:
        """``text`` broken into the lines a ``w`` mm wide cell holds at ``size`` points."""
        self.set_font_size(size)
        return cast(list[str], self.multi_cell(w, size * _LINE, text, dry_run=True, output="LINES"))

    def fit_lines(
        self, w: float, text: str, *, size: float, max_lines: int = 1, floor: float = READABLE
    ) -> tuple[float, list[str]]:
        """The size (from ``size`` down to ``floor``) at which ``text`` takes the fewest lines,
        no more than ``max_lines`` if it can; below ``floor`` it wraps instead of shrinking."""
        while True:
            lines = self.lines(w, text, size)
            if len(lines) <= max_lines or size - 0.5 < floor:
                return size, lines
            size -= 0.5

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        lines: list[str],
        *,
        size: float,
        align: str = "C",
        border: bool = True,
    ) -> None:
        """Lines of text centred vertically in a ``w`` x ``h`` box at (x, y)."""
        if border:
            self.rect(x, y, w, h)
        line_h = size * _LINE
        self.set_font_size(size)
        top = y + (h - line_h * len(lines)) / 2
        for index, line in enumerate(lines):
            self.set_xy(x, top + index * line_h)
            self.cell(w, line_h, line, align=align)

    @staticmethod
    def line_height(size: float) -> float:
        """mm taken by one line at ``size`` points."""
        return size * _LINE

    @contextmanager
    def bold(self, stroke_pt: float) -> Iterator[None]:
        """Faux bold (the subset has one weight): fill and stroke the glyph outlines.

        fpdf2 writes the text's stroke width unscaled (points) and never resets the
        rendering mode, which outlives BT/ET; hence q/Q, and no borders drawn inside.
        """
        with self.local_context(text_mode=TextMode.FILL_STROKE, line_width=stroke_pt):
            yield

    def spaced(self, text: str, gap: str = " ") -> str:
        """Title-style letter spacing: "档案" -> "档 案"."""
        return gap.join(text)
