"""Stand-alone simplified-Chinese faces cut out of Debian's Noto CJK collections.

Debian's ``fonts-noto-cjk`` ships each weight as one collection (.ttc) of five faces (JP, KR,
SC, TC, HK) that share one CFF table, and that table is named after the Japanese face. Whatever
face LibreOffice picks, the PDF then embeds a font called ``NotoSerifCJKjp-…``. Here the SC
face of each collection is written out as its own OpenType file: its tables are copied as they
are, except that the CFF table's names say ``sc`` instead of ``jp`` (same length, so no offset
moves). That is the font Adobe and Google publish as ``NotoSerifCJKsc-Regular.otf``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import SFNTWriter

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
COLLECTIONS = (
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
)
VERSION = "sc-1"


@dataclass(frozen=True)
class DerivedFace:
    """One SC face: the collection it comes from and the file written for it."""

    source: Path
    index: int
    family: str
    target: Path


def cache_dir() -> Path:
    """Where the derived faces live (``ANJUAN_FONT_CACHE`` or the XDG cache)."""
    configured = os.environ.get("ANJUAN_FONT_CACHE")
    if configured:
        return Path(configured) / "sc"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "anjuan" / "fonts" / "sc"


def _sc_index(path: Path) -> tuple[int, str] | None:
    """Index and family name of the (proportional) SC face in a collection."""
    index = 0
    while True:
        try:
            font = TTFont(str(path), fontNumber=index, lazy=True)
        except Exception:  # past the last face
            return None
        family = str(font["name"].getDebugName(1) or "")
        font.close()
        if family.endswith(" SC") and "Mono" not in family:
            return index, family
        index += 1


def _index_end(data: bytes, offset: int) -> int:
    """The offset just past a CFF INDEX that starts at ``offset``."""
    count = int.from_bytes(data[offset : offset + 2], "big")
    if count == 0:
        return offset + 2
    size = data[offset + 2]
    offsets = offset + 3
    last = int.from_bytes(data[offsets + count * size : offsets + (count + 1) * size], "big")
    return offsets + (count + 1) * size + last - 1


def rename_cff(cff: bytes) -> bytes:
    """The CFF table with ``CJKjp-`` in its font and FD names replaced by ``CJKsc-``.

    Only the header, Name, Top DICT and String INDEXes are touched: glyph programs never are.
    """
    names_end = _index_end(cff, cff[2])
    strings_end = _index_end(cff, _index_end(cff, names_end))
    head = cff[:strings_end].replace(b"CJKjp-", b"CJKsc-")
    return head + cff[strings_end:]


def _write(face: DerivedFace) -> None:
    font = TTFont(str(face.source), fontNumber=face.index, lazy=True)
    reader = font.reader
    tags = sorted(reader.keys())
    face.target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=face.target.parent, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        writer = SFNTWriter(out, len(tags), sfntVersion=reader.sfntVersion)
        for tag in tags:
            data = reader[tag]
            writer[tag] = rename_cff(data) if tag == "CFF " else data
        writer.close()
    font.close()
    os.chmod(partial, 0o644)
    os.replace(partial, face.target)  # concurrent builders each write whole files


def _key(path: Path) -> str:
    stat = path.stat()
    key = f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()


@functools.cache
def derived_faces(noto_dir: Path = NOTO_DIR) -> tuple[DerivedFace, ...]:
    """The SC faces of the installed collections, written on first use (about a second each).

    Empty when the collections are not installed (another distribution, or the office has
    its own fonts): fontconfig then falls back to whatever is installed.
    """
    faces = []
    for name in COLLECTIONS:
        source = noto_dir / name
        if not source.is_file():
            continue
        found = _sc_index(source)
        if found is None:
            continue
        index, family = found
        target = cache_dir() / f"{source.stem}-SC-{_key(source)[:16]}.otf"
        face = DerivedFace(source, index, family, target)
        if not target.is_file():
            _write(face)
        faces.append(face)
    return tuple(faces)
