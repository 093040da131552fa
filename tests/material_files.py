"""Material files made in the tests: real images and PDFs (Pillow, fpdf2, pypdf), an OFD
package, WAV (the standard library), MP3 frames and MP4/M4A boxes written out by hand.

Each image shows a circle inside a square, so a distorted page is plain to see.
"""

from __future__ import annotations

import io
import struct
import wave
import zipfile

from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter


def picture(width: int = 1200, height: int = 800, mode: str = "RGB") -> Image.Image:
    """A test picture: a frame, a centred circle in a square, a diagonal."""
    img = Image.new("RGB", (width, height), (235, 240, 250))
    draw = ImageDraw.Draw(img)
    side = min(width, height) * 0.8
    x0, y0 = (width - side) / 2, (height - side) / 2
    draw.rectangle([0, 0, width - 1, height - 1], outline=(20, 20, 120), width=6)
    draw.rectangle([x0, y0, x0 + side, y0 + side], outline=(200, 30, 30), width=6)
    draw.ellipse([x0, y0, x0 + side, y0 + side], outline=(30, 140, 30), width=6)
    draw.line([0, 0, width, height], fill=(90, 90, 90), width=3)
    return img.convert(mode) if mode != "RGB" else img


def jpeg(width: int = 1200, height: int = 800, *, orientation: int | None = None) -> bytes:
    """A JPEG photo; ``orientation`` writes that EXIF orientation (6: shot turned right)."""
    out = io.BytesIO()
    img = picture(width, height)
    if orientation is None:
        img.save(out, "JPEG", quality=88, dpi=(72, 72))
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        img.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 900, height: int = 1200, *, alpha: bool = True) -> bytes:
    """A PNG (with an alpha channel unless told otherwise)."""
    img = picture(width, height, "RGBA" if alpha else "RGB")
    out = io.BytesIO()
    img.save(out, "PNG", dpi=(150, 150))
    return out.getvalue()


def tiff(frames: int = 2, width: int = 1240, height: int = 1754) -> bytes:
    """A multi-page TIFF scan at 150 dpi (A4), grey pages."""
    pages = [picture(width, height, "L") for _ in range(frames)]
    out = io.BytesIO()
    pages[0].save(
        out, "TIFF", save_all=True, append_images=pages[1:], dpi=(150, 150), compression="tiff_lzw"
    )
    return out.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF of page images, as a scanner makes them (not PDF/A: filed as images)."""
    images = [picture(1240, 1754) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def text_pdf(pages: int = 1, text: str = "Rectification report") -> bytes:
    """A PDF with text in a standard font that is not embedded (not PDF/A: filed as images)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("Helvetica", size=16)
    for page in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} page {page + 1}")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A PDF under a password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt("secret-password", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf() -> bytes:
    """The first half of a PDF, as an interrupted upload leaves it."""
    data = scanned_pdf(2)
    return data[: len(data) // 2]


def ofd(pages: int = 2) -> bytes:
    """A minimal OFD package (GB/T 33190): OFD.xml and one document of ``pages`` pages."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    entries = "".join(
        f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        package.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
            f"<ofd:Pages>{entries}</ofd:Pages></ofd:Document>",
        )
        for i in range(pages):
            package.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", f"<ofd:Page {ns}/>")
    return out.getvalue()


def wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV of silence."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def mp3(frames: int = 40) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) of silence: about a second per 38."""
    header = bytes([0xFF, 0xFB, 0x90, 0x64])
    return (header + b"\x00" * (417 - 4)) * frames


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def mp4(seconds: int = 3, *, video: bool = True) -> bytes:
    """An ISO BMFF file: ftyp, moov (mvhd and one track, video or sound), mdat."""
    mvhd = _box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80))
    handler = b"vide" if video else b"soun"
    hdlr = _box(b"hdlr", bytes(8) + handler + bytes(12) + b"track\x00")
    trak = _box(b"trak", _box(b"mdia", hdlr))
    brand = b"isom" if video else b"M4A "
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 512) + b"isomiso2mp41")
    return ftyp + _box(b"moov", mvhd + trak) + _box(b"mdat", bytes(2048))
