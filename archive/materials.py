"""What an uploaded material file is, decided by its content — never by its name or the type
the client declared — and proven by parsing it: a PDF is opened and every page's content
decoded, an image decoded frame by frame with Pillow, an OFD package's document read, audio
and video parsed down to their tracks. Anything else, or anything broken, is refused with the
problem named.
"""

from __future__ import annotations

import io
import struct
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

MAX_PIXELS = 80_000_000  # per image frame: a 12-megapixel phone photo is far below this
_OFD_NS = "{http://www.ofdspec.org/2016}"
_OFD_MAX_UNPACKED = 512 * 1024 * 1024


class MaterialFormat(StrEnum):
    """The file formats a case accepts as materials."""

    pdf = "pdf"
    jpeg = "jpeg"
    png = "png"
    tiff = "tiff"
    ofd = "ofd"
    mp3 = "mp3"
    m4a = "m4a"
    wav = "wav"
    mp4 = "mp4"


class Filing(StrEnum):
    """How a material goes into the case file."""

    pages = "pages"  # its pages are filed in the dossier, numbered with the documents
    attached = "attached"  # kept inside the dossier as an embedded file (OFD: stored only)
    separate = "separate"  # audio and video: a locked object beside the dossier


MEDIA_TYPES = {
    MaterialFormat.pdf: "application/pdf",
    MaterialFormat.jpeg: "image/jpeg",
    MaterialFormat.png: "image/png",
    MaterialFormat.tiff: "image/tiff",
    MaterialFormat.ofd: "application/ofd",
    MaterialFormat.mp3: "audio/mpeg",
    MaterialFormat.m4a: "audio/mp4",
    MaterialFormat.wav: "audio/wav",
    MaterialFormat.mp4: "video/mp4",
}
FILINGS = {
    MaterialFormat.pdf: Filing.pages,
    MaterialFormat.jpeg: Filing.pages,
    MaterialFormat.png: Filing.pages,
    MaterialFormat.tiff: Filing.pages,
    MaterialFormat.ofd: Filing.attached,
    MaterialFormat.mp3: Filing.separate,
    MaterialFormat.m4a: Filing.separate,
    MaterialFormat.wav: Filing.separate,
    MaterialFormat.mp4: Filing.separate,
}
EXTENSIONS = {
    MaterialFormat.pdf: "pdf",
    MaterialFormat.jpeg: "jpg",
    MaterialFormat.png: "png",
    MaterialFormat.tiff: "tif",
    MaterialFormat.ofd: "ofd",
    MaterialFormat.mp3: "mp3",
    MaterialFormat.m4a: "m4a",
    MaterialFormat.wav: "wav",
    MaterialFormat.mp4: "mp4",
}
ACCEPTED = "PDF, JPEG, PNG, TIFF, OFD, MP3, M4A, WAV, MP4"


class MaterialInvalid(ValueError):
    """The file is not an accepted material; ``problem`` is a stable code, the text says why."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class Probe:
    """What the file turned out to be."""

    format: MaterialFormat
    pages: int  # pages (PDF, OFD) or frames (TIFF); 1 for JPEG/PNG; 0 for audio and video
    duration: float | None = None  # seconds, audio and video only

    @property
    def media_type(self) -> str:
        """The file's MIME type, from its content."""
        return MEDIA_TYPES[self.format]

    @property
    def filing(self) -> Filing:
        """How the file is filed in the case file."""
        return FILINGS[self.format]


def sniff(data: bytes) -> MaterialFormat | None:
    """The format the magic bytes announce (not yet proven), or None."""
    head = data[:64]
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return MaterialFormat.pdf
    if head.startswith(b"\xff\xd8\xff"):
        return MaterialFormat.jpeg
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MaterialFormat.png
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return MaterialFormat.tiff
    if head.startswith(b"PK\x03\x04") and _zip_has(data, "OFD.xml"):
        return MaterialFormat.ofd
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return MaterialFormat.wav
    if head[4:8] == b"ftyp":
        return MaterialFormat.mp4  # or M4A: the tracks decide (see _probe_bmff)
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MaterialFormat.mp3
    return None


def probe(data: bytes) -> Probe:
    """Identify ``data`` by its content and parse it; ``MaterialInvalid`` names the problem."""
    if not data:
        raise MaterialInvalid("empty", "the file is empty")
    found = sniff(data)
    if found is None:
        raise MaterialInvalid(
            "unsupported_type",
            f"the file's content is none of {ACCEPTED} (its name and declared type are ignored)",
        )
    if found is MaterialFormat.pdf:
        return Probe(found, _pdf_pages(data))
    if found in (MaterialFormat.jpeg, MaterialFormat.png, MaterialFormat.tiff):
        return Probe(found, _image_frames(data, found))
    if found is MaterialFormat.ofd:
        return Probe(found, _ofd_pages(data))
    if found is MaterialFormat.mp4:
        try:
            return _probe_bmff(data)
        except (struct.error, IndexError) as exc:
            raise MaterialInvalid("media_broken", f"the MP4 file cannot be parsed: {exc}") from exc
    return Probe(found, 0, _audio_length(data, found))


# --- PDF -----------------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> int:
    if b"%%EOF" not in data[-2048:]:
        raise MaterialInvalid("pdf_truncated", "the PDF is truncated: it does not end in %%EOF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise MaterialInvalid(
                "pdf_encrypted",
                "the PDF is encrypted (password or permissions); upload it unprotected",
            )
        pages = len(reader.pages)
        for page in reader.pages:
            _ = page.mediabox
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
    except MaterialInvalid:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise MaterialInvalid("pdf_broken", f"the PDF cannot be read: {exc}") from exc
    if pages == 0:
        raise MaterialInvalid("pdf_broken", "the PDF has no pages")
    return pages


# --- images --------------------------------------------------------------------------------


def _image_frames(data: bytes, expected: MaterialFormat) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if (img.format or "").lower() not in (expected.value, "mpo"):
                    raise MaterialInvalid(
                        "image_broken", f"the image is {img.format}, not {expected.value}"
                    )
                # JPEG and PNG are one page (a camera's MPO previews and APNG frames are not
                # pages); each TIFF frame is a scanned page.
                frames = getattr(img, "n_frames", 1) if expected is MaterialFormat.tiff else 1
                for index in range(frames):
                    img.seek(index)
                    if img.width * img.height > MAX_PIXELS:
                        raise MaterialInvalid(
                            "image_too_large",
                            f"frame {index + 1} has {img.width}×{img.height} pixels, over "
                            f"{MAX_PIXELS:,}",
                        )
                    img.load()
    except MaterialInvalid:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise MaterialInvalid("image_too_large", f"the image is too large: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise MaterialInvalid("image_broken", f"the image cannot be decoded: {exc}") from exc
    return frames


# --- OFD (GB/T 33190) ----------------------------------------------------------------------


def _zip_has(data: bytes, name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return name in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _ofd_pages(data: bytes) -> int:
    """Pages of the first document of an OFD package (OFD.xml -> DocRoot -> Pages)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(i.file_size for i in package.infolist()) > _OFD_MAX_UNPACKED:
                raise MaterialInvalid("ofd_broken", "the OFD package unpacks too large")
            if package.testzip() is not None:
                raise MaterialInvalid("ofd_broken", "the OFD package has a damaged entry")
            root = ET.fromstring(package.read("OFD.xml"))
            doc_root = root.find(f"{_OFD_NS}DocBody/{_OFD_NS}DocRoot")
            path = (doc_root.text or "").strip() if doc_root is not None else ""
            if not path:
                raise MaterialInvalid("ofd_broken", "OFD.xml names no DocRoot")
            document = ET.fromstring(package.read(path.lstrip("/")))
            pages = document.findall(f"{_OFD_NS}Pages/{_OFD_NS}Page")
    except MaterialInvalid:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError) as exc:
        raise MaterialInvalid("ofd_broken", f"the OFD package cannot be read: {exc}") from exc
    if not pages:
        raise MaterialInvalid("ofd_broken", "the OFD document has no pages")
    return len(pages)


# --- audio and video -----------------------------------------------------------------------


def _audio_length(data: bytes, found: MaterialFormat) -> float:
    from mutagen import MutagenError
    from mutagen.mp3 import MP3
    from mutagen.wave import WAVE

    parser = MP3 if found is MaterialFormat.mp3 else WAVE
    try:
        parsed = parser(io.BytesIO(data))
        length = float(parsed.info.length) if parsed.info is not None else 0.0
    except (MutagenError, struct.error, ValueError, EOFError) as exc:
        raise MaterialInvalid(
            "media_broken", f"the {found.value.upper()} file cannot be parsed: {exc}"
        ) from exc
    if length <= 0:
        raise MaterialInvalid("media_broken", f"the {found.value.upper()} file holds no sound")
    return length


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO BMFF boxes between ``start`` and ``end``: (type, payload start, box end)."""
    pos = start
    while pos < end:
        if end - pos < 8:
            raise MaterialInvalid("media_broken", "the file ends inside a box header")
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if end - pos < 16:
                raise MaterialInvalid("media_broken", "the file ends inside a box header")
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise MaterialInvalid(
                "media_broken",
                f"box {kind.decode('latin-1')!r} runs past the end of the file (truncated?)",
            )
        yield kind, pos + header, pos + size
        pos += size


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, body, stop in _boxes(data, start, end):
        if found == kind:
            return body, stop
    return None


def _probe_bmff(data: bytes) -> Probe:
    """MP4 or M4A: walk the top-level boxes to the end, read mvhd and the tracks' handlers."""
    top = list(_boxes(data, 0, len(data)))
    if top[0][0] != b"ftyp":
        raise MaterialInvalid("media_broken", "the file does not start with an ftyp box")
    moov = next(((s, e) for kind, s, e in top if kind == b"moov"), None)
    if moov is None:
        raise MaterialInvalid("media_broken", "the file has no moov box (not finished writing?)")
    mvhd = _child(data, *moov, b"mvhd")
    if mvhd is None:
        raise MaterialInvalid("media_broken", "the movie has no header (mvhd)")
    body = data[mvhd[0] : mvhd[1]]
    if body[:1] == b"\x01":
        scale, duration = struct.unpack(">IQ", body[20:32])
    else:
        scale, duration = struct.unpack(">II", body[12:20])
    handlers = set()
    for kind, start, end in _boxes(data, *moov):
        if kind != b"trak":
            continue
        mdia = _child(data, start, end, b"mdia")
        hdlr = _child(data, *mdia, b"hdlr") if mdia else None
        if hdlr is not None:
            handlers.add(data[hdlr[0] + 8 : hdlr[0] + 12])
    if b"vide" in handlers:
        found = MaterialFormat.mp4
    elif b"soun" in handlers:
        found = MaterialFormat.m4a
    else:
        raise MaterialInvalid("media_broken", "the file has no audio or video track")
    return Probe(found, 0, duration / scale if scale else None)
