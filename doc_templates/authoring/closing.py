"""Closing blocks: hand-signature lines, the sealed 落款 (GB/T 9704), the date of working papers.

Every block is chained to the page of the body lines before it (``keep_with_next``), so no
page ever holds only a signature, a seal or a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.style import KAI_FONT, SIZE_BODY, TEXT_WIDTH_PT, Part

EM = SIZE_BODY.pt
# A signature line: 13 characters for who signs, 8 for "签名：＿＿＿＿＿", 6 for the date.
SIGN_AT = 13 * EM
UNDERLINE = "＿" * 5
BLANK_DATE = "　年　月　日"
SEAL_MARK = "（印章）"
# GB/T 9704 落款: the 成文日期 right-spaced four characters, the agency name centred over it,
# the seal pressed over both. A box of 16 characters at the right margin centres both lines
# on the date (about eight characters wide with the spaces around its digits: 4 + 8 + 4).
SEAL_BOX = 16 * EM
DATE_RIGHT_GAP = 2 * EM  # a working paper without a seal: date right-spaced two characters


@dataclass(frozen=True)
class Signer:
    """One signature line: who signs (printed beside the line), and when."""

    label: str  # 承办人, 约谈人员, 见证人 …
    name: Sequence[Part] = ()  # the printed name, as template parts
    loop: str | None = None  # one line per item, e.g. "o in data.officers"
    when: str | None = None  # only when this holds
    date: Sequence[Part] = (BLANK_DATE,)  # a blank date to write by hand, unless known


def sign_lines(doc: TemplateDoc, signers: Sequence[Signer]) -> None:
    """A line per signer: "label：name", "签名：＿＿＿" and the date, kept together."""
    doc.keep_last_body()
    for signer in signers:
        opened: list[str] = []
        if signer.when:
            doc.para(f"{{%p if {signer.when} %}}", indent=False)
            opened.append("{%p endif %}")
        if signer.loop:
            doc.para(f"{{%p for {signer.loop} %}}", indent=False)
            opened.append("{%p endfor %}")
        parts: list[Part] = [signer.label, "：", *signer.name, "\t签名：", UNDERLINE, "\t"]
        paragraph = doc.para(*parts, *signer.date, indent=False, align="left", keep=True)
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(Pt(SIGN_AT))
        stops.add_tab_stop(Pt(TEXT_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT)
        for tag in reversed(opened):
            doc.para(tag, indent=False)


def note(doc: TemplateDoc, *parts: Part, when: str | None = None) -> None:
    """A line of the closing block in 楷体 (a refusal note, a remark), kept with the rest."""
    doc.keep_last_body()
    if when:
        doc.para(f"{{%p if {when} %}}", indent=False)
    doc.para(*parts, face=KAI_FONT, keep=True)
    if when:
        doc.para("{%p endif %}", indent=False)


def seal(doc: TemplateDoc) -> None:
    """落款 of a document served on the party: seal mark, agency name and date, centred."""
    doc.keep_last_body()
    doc.blank(keep=True)
    for text, keep in (
        (SEAL_MARK, True),
        ("{{ agency.name }}", True),
        ("{{ doc.issued_on_cn }}", False),
    ):
        paragraph = doc.para(text, indent=False, align="center", keep=keep)
        paragraph.paragraph_format.left_indent = Pt(TEXT_WIDTH_PT - SEAL_BOX)
        paragraph.paragraph_format.keep_together = True


def dated(doc: TemplateDoc) -> None:
    """The date of an internal working paper (no agency seal): right-spaced two characters."""
    doc.keep_last_body()
    paragraph = doc.para("{{ doc.issued_on_cn }}", indent=False, align="right")
    paragraph.paragraph_format.right_indent = Pt(DATE_RIGHT_GAP)
