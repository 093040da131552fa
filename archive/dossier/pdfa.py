"""PDF/A-3b parts of a pypdf writer: sRGB output intent, XMP and info, associated files."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from PIL import ImageCms
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

PDF_HEADER = b"%PDF-1.7"
SRGB_ID = "sRGB IEC61966-2.1"
# Debian icc-profiles-free, colord and ghostscript ship sRGB; LittleCMS builds one if none.
_ICC_FILES = (
    Path("/usr/share/color/icc/sRGB.icc"),
    Path("/usr/share/color/icc/colord/sRGB.icc"),
    Path("/usr/share/color/icc/ghostscript/srgb.icc"),
)
Relationship = Literal["Source", "Data", "Supplement", "Alternative", "Unspecified"]


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF as a PDF/A-3 associated file."""

    name: str
    data: bytes
    mime: str
    relationship: Relationship
    description: str
    modified: datetime


@dataclass(frozen=True)
class DocInfo:
    """The document information, written identically to /Info and to XMP."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    created: datetime


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile: a system one (v2) when installed, else LittleCMS's built-in."""
    for path in _ICC_FILES:
        if path.is_file():
            return path.read_bytes()
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def pdf_date(moment: datetime) -> str:
    """PDF date string with offset: D:20260305093000+08'00'."""
    offset = moment.strftime("%z") or "+0000"
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def xmp_date(moment: datetime) -> str:
    """XMP date with offset: 2026-03-05T09:30:00+08:00."""
    return moment.isoformat(timespec="seconds")


def add_output_intent(writer: PdfWriter) -> None:
    """Declare sRGB as the output intent (GTS_PDFA1), with the profile embedded."""
    profile = DecodedStreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB_ID),
            NameObject("/Info"): TextStringObject(SRGB_ID),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])


def set_metadata(writer: PdfWriter, info: DocInfo) -> None:
    """Write /Info and an unfiltered XMP packet that says the same, plus pdfaid 3/B."""
    stamp = pdf_date(info.created)
    writer.add_metadata(
        {
            "/Title": info.title,
            "/Author": info.author,
            "/Subject": info.subject,
            "/Keywords": info.keywords,
            "/Creator": info.creator,
            "/Producer": info.producer,
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(xmp_packet(info))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)


def xmp_packet(info: DocInfo) -> bytes:
    """The XMP metadata packet (UTF-8, writable padding) matching ``info``."""
    date = xmp_date(info.created)
    e = escape
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{e(info.subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Keywords>{e(info.keywords)}</pdf:Keywords>
   <pdf:Producer>{e(info.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
{" " * 1024}
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def _name_key(name: str) -> bytes:
    return TextStringObject(name).get_encoded_bytes()


def attach_files(writer: PdfWriter, files: list[Attachment]) -> None:
    """Embed ``files`` as associated files: name tree, catalog /AF, /F and /UF names."""
    specs: list[tuple[str, DictionaryObject]] = []
    for item in files:
        stream: StreamObject = DecodedStreamObject()
        stream.set_data(item.data)
        if item.mime.startswith("application/json"):
            stream = stream.flate_encode()  # DOCX is already a zip
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        stream[NameObject("/Subtype")] = NameObject("/" + item.mime)
        stream[NameObject("/Params")] = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(len(item.data)),
                NameObject("/ModDate"): TextStringObject(pdf_date(item.modified)),
                NameObject("/CheckSum"): ByteStringObject(hashlib.md5(item.data).digest()),
            }
        )
        stream_ref = writer._add_object(stream)
        spec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject(item.name),
                NameObject("/UF"): TextStringObject(item.name),
                NameObject("/Desc"): TextStringObject(item.description),
                NameObject("/AFRelationship"): NameObject("/" + item.relationship),
                NameObject("/EF"): DictionaryObject(
                    {
                        NameObject("/F"): stream_ref,
                        NameObject("/UF"): stream_ref,
                    }
                ),
            }
        )
        specs.append((item.name, spec))
    refs = {name: writer._add_object(spec) for name, spec in specs}
    tree = ArrayObject()
    for name in sorted(refs, key=_name_key):  # name trees are sorted by their key bytes
        tree.extend([TextStringObject(name), refs[name]])
    if "/Names" not in writer.root_object:
        writer.root_object[NameObject("/Names")] = DictionaryObject()
    names = writer.root_object["/Names"].get_object()
    assert isinstance(names, DictionaryObject)
    names[NameObject("/EmbeddedFiles")] = DictionaryObject({NameObject("/Names"): tree})
    writer.root_object[NameObject("/AF")] = ArrayObject(refs[name] for name, _ in specs)
