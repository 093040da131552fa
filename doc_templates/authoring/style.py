"""The type of the templates: official faces and sizes, run and template-part helpers.

GB/T 9704: body 三号 仿宋 on a 22-line grid of 28 characters, title 二号 小标宋; forms and
tables 四号 / 小四 as the official 文书范本 set them. Every run names its face for East Asian
text and says zh-CN, so LibreOffice picks a simplified-Chinese face.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

# The faces an office expects by name (GB/T 9704); fontconfig maps missing ones to free faces.
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
KAI_FONT = "楷体"
TABLE_FONT = BODY_FONT
PAGE_FONT = "宋体"  # page numbers: 半角宋体
SIZE_TITLE = Pt(22)  # 二号
SIZE_AGENCY = Pt(18)  # 小二
SIZE_BODY = Pt(16)  # 三号
SIZE_FORM = Pt(14)  # 四号: forms, as the official 文书范本 set them
SIZE_TABLE = Pt(12)  # 小四: lists of many columns
SIZE_PAGE_NO = Pt(14)  # 四号
SIZE_SMALL = Pt(9)  # 小五
# 22 lines of 28 characters in the 156 x 225 mm type area: a 28.95 pt line pitch, and
# characters drawn 0.25 pt closer than their 16 pt (28 x 15.75 pt = 155.6 mm).
LINE_PITCH = Pt(28.95)
BODY_SPACING_TWIPS = -5
TEXT_WIDTH_MM = 156  # A4 210 mm minus 28 mm left and 26 mm right margins
TEXT_WIDTH_PT = TEXT_WIDTH_MM / 25.4 * 72
QR_SIZE_MM = 22
CELL_MARGIN_TWIPS = 57  # 1 mm
INITIALS_LINE = "被约谈方逐页签名：＿＿＿＿＿＿＿＿"


@dataclass(frozen=True)
class B:
    """Bold text."""

    text: str


Part = str | B
Parts = Sequence[Part]


@dataclass(frozen=True)
class Loop:
    """A paragraph repeated by ``{%p for ... %}``."""

    expr: str
    parts: Parts


@dataclass(frozen=True)
class If:
    """A paragraph kept only when ``{%p if ... %}`` holds."""

    expr: str
    parts: Parts


@dataclass(frozen=True)
class Space:
    """Empty lines on the body's line pitch, left free for handwriting."""

    lines: int


Block = Parts | Loop | If | Space


def set_font(run_or_style_rpr: object, face: str) -> None:
    """Set ascii, hAnsi, eastAsia and cs fonts, and the zh-CN language, on a ``w:rPr``."""
    rpr = run_or_style_rpr
    rfonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), face)
    # Quotes and dashes are East Asian full-width characters here, not Latin ones.
    rfonts.set(qn("w:hint"), "eastAsia")
    set_lang(rpr)


def set_lang(rpr: object) -> None:
    """``w:lang w:eastAsia="zh-CN"``: without it LibreOffice picks the Japanese CJK face."""
    lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    face: str,
    size: Pt,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    if size == SIZE_BODY:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_SPACING_TWIPS))
        rpr.append(spacing)
    set_font(rpr, face)


def field(instr: str, size: Pt) -> BaseOxmlElement:
    """A simple field (PAGE, NUMPAGES) in 小五 宋体."""
    half_points = int(size.pt * 2)
    return parse_xml(
        f'<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        f' w:instr=" {instr} "><w:r><w:rPr><w:rFonts w:ascii="{PAGE_FONT}" w:hAnsi="{PAGE_FONT}"'
        f' w:eastAsia="{PAGE_FONT}"/><w:sz w:val="{half_points}"/></w:rPr><w:t>1</w:t></w:r>'
        f"</w:fldSimple>"
    )


def is_tag(parts: Parts) -> bool:
    """True for a paragraph that only carries a ``{%p … %}`` tag."""
    return len(parts) == 1 and isinstance(parts[0], str) and parts[0].startswith("{%p ")
