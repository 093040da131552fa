"""Plain text of a rendered DOCX, for the archive's full-text index (fast: no layout)."""

from __future__ import annotations

import html
import io
import re
import zipfile

_PARAGRAPH = re.compile(rb"<w:p[ >].*?</w:p>", re.S)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def docx_text(docx: bytes) -> str:
    """The text of the body, headers and footers, one line per paragraph."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for name in sorted(n for n in z.namelist() if _PARTS.fullmatch(n)):
            for paragraph in _PARAGRAPH.findall(z.read(name)):
                text = b"".join(_TEXT.findall(paragraph)).decode()
                if text.strip():
                    lines.append(html.unescape(text))
    return "\n".join(lines)
