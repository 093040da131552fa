"""Fontconfig set-up so LibreOffice draws 仿宋/小标宋/黑体/楷体 with simplified-Chinese faces.

The generated ``fonts.conf`` includes the system configuration and ``60-anjuan-cjk.conf`` (the
official faces and their free substitutes). Where Debian's Noto CJK collections are installed,
it also adds the stand-alone SC faces cut out of them (:mod:`doc_templates.fonts.derived`) and
hides the collections, so the PDF embeds ``NotoSerifCJKsc-…``, never the ``…jp`` face.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from doc_templates.fonts.derived import cache_dir, derived_faces

SNIPPET = Path(__file__).resolve().parent / "60-anjuan-cjk.conf"
SYSTEM_CONFIG = Path("/etc/fonts/fonts.conf")


def fonts_conf_xml(snippet: Path = SNIPPET, system: Path = SYSTEM_CONFIG) -> str:
    """A fonts.conf: the system configuration, our CJK mapping and the derived SC faces."""
    faces = derived_faces()
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
    ]
    if faces:  # first, so fontconfig keeps its cache of them even where HOME is a temp dir
        lines.append(f"  <cachedir>{escape(str(cache_dir().parent / 'fontconfig'))}</cachedir>")
    lines += [
        f'  <include ignore_missing="yes">{escape(str(system))}</include>',
        f"  <include>{escape(str(snippet))}</include>",
    ]
    if faces:
        for directory in sorted({str(face.target.parent) for face in faces}):
            lines.append(f"  <dir>{escape(directory)}</dir>")
        lines.append("  <selectfont><rejectfont>")
        lines += [f"    <glob>{escape(str(face.source))}</glob>" for face in faces]
        lines.append("  </rejectfont></selectfont>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


@cache
def fonts_conf_path() -> Path:
    """Write (once per process) the generated fonts.conf and return its path."""
    directory = Path(tempfile.gettempdir()) / "anjuan-fontconfig"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "fonts.conf"
    content = fonts_conf_xml()
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    return path


def fontconfig_env() -> dict[str, str]:
    """Environment variables that make fontconfig (and soffice) use our CJK mapping."""
    return {"FONTCONFIG_FILE": str(fonts_conf_path())}


def prepare_fonts() -> None:
    """Write the derived SC faces and the fonts.conf now (for setup scripts)."""
    fonts_conf_path()
