"""A material's pages in the dossier.

- A PDF that is already PDF/A, with every font embedded and nothing PDF/A forbids, is filed
  page for page as it is (text stays text).
- Any other PDF (a scan, an office export, a form) is filed as images of its pages, rendered by
  poppler at ``RASTER_DPI`` on pages of its own size: whatever it holds, the dossier stays
  PDF/A. The original file is embedded in the dossier beside them, byte for byte.
- An image (JPEG, PNG, each TIFF frame) gets an A4 page of its own, portrait or landscape as
  the image is: at its own size when that fits inside the margins, else scaled down to fit,
  never stretched; turned upright by its EXIF orientation; transparency flattened on white;
  CMYK made RGB (an RGB output intent allows no CMYK); downsampled to at most ``MAX_DPI`` at
  the size it is printed. The top margin leaves room for the 页号.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageOps
from pypdf import PdfReader

from archive.dossier.pdfa_checks import fonts_of, object_findings, xmp_properties
from archive.materials import MaterialFormat

RASTER_DPI = 150
MAX_DPI = 300
ASSUMED_DPI = 96.0  # an image that says nothing (or something absurd) about its resolution
A4 = (210.0, 297.0)
MARGIN = 15.0  # mm left, right and bottom
TOP = 22.0  # mm: the 页号 is drawn 10 mm from the top, 7 mm high
_JPEG_QUALITY = 90
_PDFTOPPM_ARGS = ("-jpeg", "-jpegopt", "quality=85")
MAX_RASTER_SIDE = 7016  # pixels: an A0 page at 150 dpi; a larger page is rendered coarser


class MaterialPagesError(ValueError):
    """The material cannot be turned into pages (it passed upload checks, so: a real fault)."""


@dataclass(frozen=True)
class Placement:
    """Where an image goes: the page (mm) and the image's box on it (mm)."""

    page_w: float
    page_h: float
    x: float
    y: float
    w: float
    h: float


def material_pages(data: bytes, fmt: MaterialFormat) -> bytes:
    """The PDF whose pages are filed for this material (its own, or made from it)."""
    if fmt is MaterialFormat.pdf:
        return data if files_as_is(data) else pdf_as_images(data)
    if fmt in (MaterialFormat.jpeg, MaterialFormat.png, MaterialFormat.tiff):
        return images_as_pages(data)
    raise MaterialPagesError(f"{fmt} is not filed as pages")


def files_as_is(data: bytes) -> bool:
    """True when the PDF's own pages can go into a PDF/A dossier unchanged."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return False
        part = (xmp_properties(reader) or {}).get("pdfaid:part")
        root = reader.root_object
        names = root.get("/Names")
        scripted = names is not None and "/JavaScript" in names.get_object()
        return (
            part in ("1", "2", "3")
            and "/AcroForm" not in root
            and not scripted
            and all(font.embedded for font in fonts_of(reader))
            and not object_findings(reader)
        )
    except Exception:  # anything odd: the images are the safe way
        return False


def pdf_as_images(data: bytes) -> bytes:
    """Every page rendered by poppler's pdftoppm, each on a page of its own size (at
    ``RASTER_DPI``, or coarser for a page larger than A0)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise MaterialPagesError("pdftoppm (poppler-utils) is needed to file this PDF")
    reader = PdfReader(io.BytesIO(data))
    longest = max(max(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages)
    dpi = max(10, min(RASTER_DPI, int(MAX_RASTER_SIDE * 72 / max(longest, 1.0))))
    with tempfile.TemporaryDirectory(prefix="anjuan-material-") as work:
        source = Path(work) / "material.pdf"
        source.write_bytes(data)
        done = subprocess.run(
            [pdftoppm, "-r", str(dpi), *_PDFTOPPM_ARGS, str(source), str(Path(work) / "page")],
            capture_output=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise MaterialPagesError(f"pdftoppm failed: {done.stderr.decode(errors='replace')}")
        pages = sorted(Path(work).glob("page-*.jpg"), key=lambda p: int(p.stem.split("-")[-1]))
        pdf = _new_pdf()
        for path in pages:
            with Image.open(path) as img:
                w, h = img.width / dpi * 25.4, img.height / dpi * 25.4
            pdf.add_page(format=(w, h))
            pdf.image(str(path), x=0, y=0, w=w, h=h)
        return bytes(pdf.output())


def images_as_pages(data: bytes) -> bytes:
    """Each frame of the image on an A4 page of its own."""
    pdf = _new_pdf()
    for frame, encoded, dpi in _frames(data):
        place = placement(frame.width, frame.height, dpi)
        pdf.add_page(format=(place.page_w, place.page_h))
        pdf.image(io.BytesIO(encoded), x=place.x, y=place.y, w=place.w, h=place.h)
    return bytes(pdf.output())


def placement(width_px: int, height_px: int, dpi: float) -> Placement:
    """The A4 page (landscape for a wide image) and the image's box: its own size, or scaled
    down (never up) to fit inside the margins, centred; the aspect ratio kept exactly."""
    page_w, page_h = (A4[1], A4[0]) if width_px > height_px else A4
    natural_w, natural_h = width_px / dpi * 25.4, height_px / dpi * 25.4
    box_w, box_h = page_w - 2 * MARGIN, page_h - TOP - MARGIN
    scale = min(1.0, box_w / natural_w, box_h / natural_h)
    w, h = natural_w * scale, natural_h * scale
    return Placement(page_w, page_h, (page_w - w) / 2, TOP + (box_h - h) / 2, w, h)


def _new_pdf() -> FPDF:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    return pdf


def _frames(data: bytes) -> Iterator[tuple[Image.Image, bytes, float]]:
    """Each frame upright, in RGB or grey, downsampled and encoded (JPEG for photographs,
    lossless otherwise), with the resolution it is placed at."""
    with Image.open(io.BytesIO(data)) as img:
        source_format = img.format
        count = getattr(img, "n_frames", 1) if source_format == "TIFF" else 1
        for index in range(count):
            img.seek(index)
            frame = ImageOps.exif_transpose(img) or img.copy()
            dpi = _dpi(frame.info.get("dpi") or img.info.get("dpi"))
            frame = _flatten(frame)
            place = placement(frame.width, frame.height, dpi)
            limit_w = round(place.w / 25.4 * MAX_DPI)
            if frame.width > limit_w:
                ratio = limit_w / frame.width
                frame = frame.resize(
                    (limit_w, max(1, round(frame.height * ratio))), Image.Resampling.LANCZOS
                )
                dpi *= ratio
            out = io.BytesIO()
            if source_format in ("JPEG", "MPO"):
                frame.save(out, "JPEG", quality=_JPEG_QUALITY)
            else:
                frame.save(out, "PNG", optimize=False)
            yield frame, out.getvalue(), dpi


def _dpi(value: object) -> float:
    try:
        x = float(value[0])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return ASSUMED_DPI
    return x if 50 <= x <= 2400 else ASSUMED_DPI


def _flatten(frame: Image.Image) -> Image.Image:
    """RGB or L, no alpha (flattened on white), no palette, no CMYK, 8 bits."""
    if frame.mode in ("RGB", "L"):
        return frame
    if frame.mode == "1":
        return frame.convert("L")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        return frame.point(lambda v: v / 256).convert("L")
    if frame.mode in ("P", "PA"):
        frame = frame.convert("RGBA")
    if frame.mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = frame.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return frame.convert("RGB")  # CMYK, YCbCr, LAB, I;16 variants…
