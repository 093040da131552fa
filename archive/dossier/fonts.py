"""The CJK font of the cover and list pages: Noto Serif CJK SC, cut down once per machine.

fontTools needs ~0.6 s to open the full 65,000-glyph collection and another ~0.5 s to subset
it, every time. A desubroutinised cut to GB2312 (7,700 glyphs) takes ~13 s to build once,
then ~0.1 s per dossier. Characters outside it (rare given names) fall back to the full font,
which is slow but correct.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "Noto Serif CJK SC"
_DEBIAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
_DEBIAN_SC_INDEX = 2  # JP, KR, SC, TC, HK in the Debian collection
CHARSET_VERSION = "gb2312-1"


@dataclass(frozen=True)
class FontSource:
    """A font file, and the font's index when the file is a collection (.ttc)."""

    path: Path
    index: int = 0


class FontNotFound(RuntimeError):
    """No Noto Serif CJK SC on this machine (Debian package ``fonts-noto-cjk``)."""


@functools.cache
def full_font() -> FontSource:
    """The full Noto Serif CJK SC face (``ANJUAN_CJK_FONT=path[:index]`` overrides)."""
    override = os.environ.get("ANJUAN_CJK_FONT")
    if override:
        path, _, index = override.partition(":")
        return FontSource(Path(path), int(index or 0))
    if _DEBIAN_FONT.is_file():
        return FontSource(_DEBIAN_FONT, _DEBIAN_SC_INDEX)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", f"{FAMILY}:style=Regular"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        path, _, index = found.rpartition(":")
        if path and "CJK" in path and Path(path).is_file():
            return FontSource(Path(path), int(index or 0))
    raise FontNotFound(f"{FAMILY} is not installed (Debian: fonts-noto-cjk)")


def _charset() -> set[int]:
    codes = set(range(0x20, 0x7F)) | {0xA0, 0xB7, 0xD7}
    codes |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                codes.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return codes


def _cache_dir() -> Path:
    configured = os.environ.get("ANJUAN_FONT_CACHE")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "anjuan" / "fonts"


def _build(source: FontSource, target: Path) -> None:
    font = TTFont(str(source.path), fontNumber=source.index, lazy=True)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True  # spares the per-dossier subsetter the subroutine closure
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(_charset()))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        font.save(out)
    os.chmod(partial, 0o644)
    os.replace(partial, target)  # concurrent builders each write whole files


@functools.cache
def reduced_font() -> Path:
    """The GB2312 cut of the full font, built on first use and cached on disk."""
    source = full_font()
    stat = source.path.stat()
    key = f"{source.path}:{source.index}:{stat.st_size}:{stat.st_mtime_ns}:{CHARSET_VERSION}"
    name = f"{source.path.stem}-{source.index}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.otf"
    for directory in (_cache_dir(), Path(tempfile.gettempdir()) / "anjuan-fonts"):
        target = directory / name
        if target.is_file():
            return target
        try:
            _build(source, target)
        except OSError:
            continue
        return target
    raise OSError("no writable directory for the CJK font cache")


@functools.cache
def _reduced_codepoints() -> frozenset[int]:
    return frozenset(TTFont(str(reduced_font()), lazy=True).getBestCmap())


def needs_full_font(text: str) -> bool:
    """Whether ``text`` has characters that only the full font has."""
    covered = _reduced_codepoints()
    return any(ord(char) not in covered for char in text if not char.isspace())


def prepare_fonts() -> None:
    """Build the cached font now (for setup scripts and worker start-up)."""
    _reduced_codepoints()
