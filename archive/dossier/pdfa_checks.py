"""The PDF/A-3b rules a dossier can be tested against here (no veraPDF on the machines).

Covers the file structure, XMP identification and its agreement with /Info, the output
intent's ICC profile, associated files, annotations, actions and forbidden stream features.
Not covered: content-stream operators (colour use, transparency, font widths vs. programs).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from archive.dossier.models import FontInfo

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
_FORBIDDEN_ACTIONS = {
    "/Launch",
    "/Sound",
    "/Movie",
    "/ResetForm",
    "/ImportData",
    "/Hide",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/JavaScript",
}
_FORBIDDEN_ANNOTS = {"/Movie", "/Sound", "/Screen", "/3D", "/RichMedia"}
_INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Z+-])?(\d\d)?'?(\d\d)?'?")


def as_dict(value: Any) -> DictionaryObject:
    """The dictionary behind ``value`` (resolving references), or an empty one."""
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def xmp_properties(reader: PdfReader) -> dict[str, str] | None:
    """The simple XMP properties (prefix:name -> text, first item of Alt/Seq), or None."""
    stream = as_dict(reader.root_object.get("/Metadata"))
    if not isinstance(stream, StreamObject):
        return None
    try:
        root = ET.fromstring(stream.get_data())
    except ET.ParseError:
        return None
    found: dict[str, str] = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for key, value in description.attrib.items():
            _store(found, key, value)
        for child in description:
            items = [li.text or "" for li in child.iter(f"{{{NS['rdf']}}}li")]
            _store(found, child.tag, items[0] if items else (child.text or "").strip())
    return found


def _store(found: dict[str, str], tag: str, value: str) -> None:
    for prefix, uri in NS.items():
        if tag.startswith(f"{{{uri}}}"):
            found[f"{prefix}:{tag[len(uri) + 2 :]}"] = value


def pdfa_findings(pdf: bytes, reader: PdfReader) -> list[str]:
    """Every PDF/A-3b rule of this module that the file breaks."""
    findings: list[str] = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n?%[\x80-\xff]{4}", pdf[:20]):
        findings.append("PDF/A: header is not %PDF-1.n followed by a binary comment")
    trailer = reader.trailer
    if "/ID" not in trailer:
        findings.append("PDF/A: trailer has no file identifier (/ID)")
    if "/Encrypt" in trailer:
        findings.append("PDF/A: file is encrypted")
    catalog = reader.root_object
    findings += _xmp_findings(reader)
    findings += _intent_findings(catalog)
    findings += _attachment_findings(catalog)
    findings += object_findings(reader)
    if "/AA" in catalog:
        findings.append("PDF/A: catalog has additional actions (/AA)")
    if "/JavaScript" in as_dict(catalog.get("/Names")):
        findings.append("PDF/A: document-level JavaScript")
    return findings


def _xmp_findings(reader: PdfReader) -> list[str]:
    stream = as_dict(reader.root_object.get("/Metadata"))
    if not isinstance(stream, StreamObject):
        return ["PDF/A: catalog has no XMP metadata stream"]
    findings = []
    if "/Filter" in stream:
        findings.append("PDF/A: the XMP metadata stream is filtered")
    props = xmp_properties(reader)
    if props is None:
        return [*findings, "PDF/A: XMP metadata is not well-formed XML"]
    if props.get("pdfaid:part") != "3" or props.get("pdfaid:conformance") != "B":
        findings.append(
            f"PDF/A: XMP identifies PDF/A-{props.get('pdfaid:part')}"
            f"{props.get('pdfaid:conformance')}, not PDF/A-3B"
        )
    info = as_dict(reader.trailer.get("/Info"))
    for key, prop in _INFO_TO_XMP.items():
        if key not in info:
            continue
        value, mirrored = str(info[key]), props.get(prop)
        same = (
            _parse_pdf_date(value) == _parse_xmp_date(mirrored)
            if key.endswith("Date") and mirrored
            else value == mirrored
        )
        if not same:
            findings.append(f"PDF/A: /Info {key} does not match XMP {prop}")
    return findings


def _parse_pdf_date(text: str) -> datetime | None:
    match = _PDF_DATE.match(text)
    if not match:
        return None
    y, mo, d, h, mi, s, sign, oh, om = match.groups()
    zone = "+00:00" if sign in (None, "Z") else f"{sign}{oh or '00'}:{om or '00'}"
    stamp = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}{zone}"
    return datetime.fromisoformat(stamp)


def _parse_xmp_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _intent_findings(catalog: DictionaryObject) -> list[str]:
    intents = [as_dict(ref) for ref in catalog.get("/OutputIntents", [])]
    pdfa = [intent for intent in intents if intent.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        return ["PDF/A: no GTS_PDFA1 output intent"]
    profile = as_dict(pdfa[0].get("/DestOutputProfile"))
    if not isinstance(profile, StreamObject):
        return ["PDF/A: the output intent has no ICC profile"]
    data = profile.get_data()
    findings = []
    if len(data) < 128 or data[36:40] != b"acsp":
        return ["PDF/A: the output intent's ICC profile is not an ICC profile"]
    if data[12:16] not in (b"mntr", b"prtr") or data[16:20] != b"RGB " or profile.get("/N") != 3:
        findings.append("PDF/A: the output intent's profile is not an RGB output/display profile")
    if data[8] >= 5:
        findings.append(f"PDF/A: ICC profile version {data[8]} is newer than PDF 1.7 allows")
    return findings


def _attachment_findings(catalog: DictionaryObject) -> list[str]:
    tree = as_dict(as_dict(catalog.get("/Names")).get("/EmbeddedFiles"))
    if not tree:
        return []
    associated = {ref.idnum for ref in catalog.get("/AF", []) if isinstance(ref, IndirectObject)}
    findings = []
    entries = tree.get("/Names", ArrayObject())
    for name, ref in zip(entries[::2], entries[1::2], strict=False):
        spec = as_dict(ref)
        for key in ("/F", "/UF", "/AFRelationship"):
            if key not in spec:
                findings.append(f"PDF/A: attachment {name!s} has no {key}")
        if not isinstance(ref, IndirectObject) or ref.idnum not in associated:
            findings.append(f"PDF/A: attachment {name!s} is not in the catalog's /AF")
        stream = as_dict(as_dict(spec.get("/EF")).get("/F"))
        if not isinstance(stream, StreamObject):
            findings.append(f"PDF/A: attachment {name!s} has no embedded file stream")
            continue
        if "/Subtype" not in stream:
            findings.append(f"PDF/A: attachment {name!s} has no MIME type (/Subtype)")
        if "/ModDate" not in as_dict(stream.get("/Params")):
            findings.append(f"PDF/A: attachment {name!s} has no /Params /ModDate")
    return findings


def object_findings(reader: PdfReader) -> list[str]:
    """PDF/A findings in the file's objects: streams, actions, annotations, colour spaces."""
    findings: set[str] = set()
    for generation in reader.xref.values():
        for idnum in generation:
            try:
                obj = reader.get_object(idnum)
            except Exception:  # a broken object is the parser's finding, not a PDF/A one
                continue
            if not isinstance(obj, DictionaryObject):
                continue
            _check_object(obj, idnum, findings)
    return sorted(findings)


def _check_object(obj: DictionaryObject, idnum: int, findings: set[str]) -> None:
    if isinstance(obj, StreamObject):
        external = any(key in obj for key in ("/F", "/FFilter", "/FDecodeParms"))
        if external and obj.get("/Type") != "/EmbeddedFile":
            findings.add(f"PDF/A: stream {idnum} refers to an external file")
        filters = obj.get("/Filter")
        if filters == "/LZWDecode" or (isinstance(filters, list) and "/LZWDecode" in filters):
            findings.add(f"PDF/A: stream {idnum} uses LZWDecode")
        if obj.get("/Subtype") == "/Image" and obj.get("/ColorSpace") == "/DeviceCMYK":
            findings.add(f"PDF/A: image {idnum} is DeviceCMYK under an RGB output intent")
    if obj.get("/S") in _FORBIDDEN_ACTIONS and ("/Type" not in obj or obj["/Type"] == "/Action"):
        findings.add(f"PDF/A: forbidden action {obj['/S']} (object {idnum})")
    if obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj):
        if obj.get("/Subtype") in _FORBIDDEN_ANNOTS:
            findings.add(f"PDF/A: forbidden annotation {obj['/Subtype']} (object {idnum})")
        flags = int(obj.get("/F", 0))
        if obj.get("/Subtype") != "/Popup" and (not flags & 4 or flags & (1 | 2 | 32)):
            findings.add(f"PDF/A: annotation {idnum} is hidden or does not print")


def fonts_of(reader: PdfReader) -> list[FontInfo]:
    """Every font resource the pages use (forms included), and whether it is embedded."""
    seen: dict[tuple[str, int], FontInfo] = {}
    for page in reader.pages:
        _collect_fonts(page.get("/Resources"), seen, depth=0)
    return list(seen.values())


def _collect_fonts(resources: Any, seen: dict[tuple[str, int], FontInfo], depth: int) -> None:
    if resources is None or depth > 8:
        return
    resources = as_dict(resources)
    for ref in as_dict(resources.get("/Font")).values():
        font = ref.get_object()
        key = (str(font.get("/BaseFont", "?")), getattr(ref, "idnum", id(font)))
        if key not in seen:
            seen[key] = FontInfo(
                key[0].lstrip("/"), str(font.get("/Subtype", "?")).lstrip("/"), _embedded(font)
            )
    for ref in as_dict(resources.get("/XObject")).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            _collect_fonts(xobject.get("/Resources"), seen, depth + 1)


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are content streams in the file
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts", ArrayObject()).get_object()
        font = descendants[0].get_object() if descendants else DictionaryObject()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
