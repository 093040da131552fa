"""Read a DOCX template's XML parts and apply docxtpl's tag clean-up to them."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate

_REL_HEADER_FOOTER = re.compile(r'<Relationship [^>]*Type="[^"]*/(?:header|footer)"[^>]*/>')
_TARGET = re.compile(r'Target="([^"]+)"')
_BODY = re.compile(r"<w:body>.*</w:body>", re.DOTALL)

# docxtpl's patch_xml / resolve_listing do not use the instance; one unloaded object serves.
_DOCXTPL = DocxTemplate("unused.docx")


@dataclass(frozen=True)
class XmlPart:
    """One templated XML part: its zip member name and raw XML text."""

    name: str
    xml: str

    @property
    def is_body(self) -> bool:
        """True for word/document.xml."""
        return self.name == "word/document.xml"


def templated_parts(members: dict[str, bytes]) -> list[XmlPart]:
    """word/document.xml followed by every header and footer part, as text."""
    parts = [XmlPart("word/document.xml", members["word/document.xml"].decode("utf-8"))]
    rels = members.get("word/_rels/document.xml.rels", b"").decode("utf-8")
    for rel in _REL_HEADER_FOOTER.findall(rels):
        target = _TARGET.search(rel)
        if target:
            name = "word/" + target.group(1).lstrip("/").removeprefix("word/")
            parts.append(XmlPart(name, members[name].decode("utf-8")))
    return parts


def read_members(source: Path | bytes) -> dict[str, bytes]:
    """All zip members of a DOCX (a file, or its bytes), by name, in archive order."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def split_body(document_xml: str) -> tuple[str, str, str]:
    """(before, <w:body>…</w:body>, after) of word/document.xml."""
    match = _BODY.search(document_xml)
    if match is None:
        raise ValueError("word/document.xml has no <w:body>")
    return document_xml[: match.start()], match.group(0), document_xml[match.end() :]


def patch_xml(xml: str) -> str:
    """docxtpl's clean-up of tags ({%p, {%tr, split runs …) plus its paragraph line breaks."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _DOCXTPL.patch_xml(xml))


def finish_xml(rendered: str) -> str:
    """docxtpl's post-render steps: undo line breaks, escaped braces, and listing characters."""
    out = re.sub(r"\n<w:p([ >])", r"<w:p\1", rendered)
    out = out.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(ch in out for ch in "\n\t\a\f"):
        out = _DOCXTPL.resolve_listing(out)
    return out
