"""Lint checks on a DOCX's parts rather than its Jinja: the QR slot and the fonts it names.

The QR slot is the image member every render replaces with the document's signed QR code; a
template without it (or whose image nobody shows) would issue documents nobody can verify.
Fonts are checked where text is drawn: runs in the body, headers and footers, the document
defaults and the styles those parts use. A face outside the official set (and not installed
here) would be substituted silently by LibreOffice; the legal section hears about it first.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from functools import cache

from lxml import etree

from doc_templates.fonts import SNIPPET

QR_PART = "word/media/qr.png"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")
_SHOWN = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_RELS = re.compile(r"^word/_rels/(document|header\d*|footer\d*)\.xml\.rels$")
_TARGET = re.compile(r'Target="([^"]+)"')

# Latin faces Word and LibreOffice both carry (or map metric-compatibly).
LATIN_FACES = frozenset(
    {
        "Times New Roman",
        "Arial",
        "Courier",
        "Courier New",
        "Helvetica",
        "Liberation Serif",
        "Liberation Sans",
        "Liberation Mono",
        "DejaVu Sans",
        "DejaVu Serif",
        "Symbol",
        "Wingdings",
    }
)


def qr_slot(members: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """``(part, detail)`` problems with the QR slot: missing, or shown by no part."""
    if QR_PART not in members:
        return [("word/media", f"no {QR_PART}: the signed QR code has nowhere to go")]
    for name, raw in members.items():
        if _RELS.match(name) and any(
            t.endswith("media/qr.png") for t in _TARGET.findall(raw.decode("utf-8", "replace"))
        ):
            return []
    return [(QR_PART, "no page part shows the QR image (no relationship targets it)")]


@cache
def official_faces() -> frozenset[str]:
    """The faces our fontconfig mapping knows (the official ones and their substitutes)."""
    tree = etree.parse(str(SNIPPET))
    return frozenset(str(f.text).strip() for f in tree.iter("family") if f.text)


@cache
def installed_faces() -> frozenset[str]:
    """Font families fontconfig reports installed on this machine (empty without fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    out = subprocess.run(
        [fc_list, ":", "family"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def known_face(name: str) -> bool:
    """Whether the service can draw ``name`` as itself or through its mapping."""
    return name in LATIN_FACES or name in official_faces() or name in installed_faces()


def _fonts_in(elements: Iterable[etree._Element]) -> set[str]:
    names = set()
    for element in elements:
        for fonts in element.iter(f"{_W}rFonts"):
            for attr in _FONT_ATTRS:
                value = fonts.get(f"{_W}{attr}")
                if value:
                    names.add(value)
    return names


def _parse(raw: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, recover=True))
    except etree.XMLSyntaxError:
        return None


def _style_fonts(styles_xml: bytes, used_styles: set[str]) -> dict[str, set[str]]:
    """Fonts per place in styles.xml: the defaults, default styles and the used ones."""
    root = _parse(styles_xml)
    if root is None:
        return {}
    found: dict[str, set[str]] = {}
    defaults = root.find(f"{_W}docDefaults")
    if defaults is not None:
        found["word/styles.xml (document defaults)"] = _fonts_in([defaults])
    by_id = {s.get(f"{_W}styleId"): s for s in root.iter(f"{_W}style")}
    pending = [sid for sid, s in by_id.items() if s.get(f"{_W}default") in ("1", "true")]
    pending += sorted(used_styles)
    seen: set[str] = set()
    while pending:
        sid = pending.pop()
        style = by_id.get(sid)
        if sid in seen or style is None:
            continue
        seen.add(sid)
        found[f"word/styles.xml (style {sid})"] = _fonts_in([style])
        for link in ("basedOn", "link"):
            ref = style.find(f"{_W}{link}")
            if ref is not None and ref.get(f"{_W}val"):
                pending.append(str(ref.get(f"{_W}val")))
    return found


def unknown_fonts(members: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """``(part, detail)`` for each face named where text is drawn that is not known here."""
    places: dict[str, set[str]] = {}
    used_styles: set[str] = set()
    for name, raw in members.items():
        if not _SHOWN.match(name):
            continue
        root = _parse(raw)
        if root is None:
            continue
        places[name] = _fonts_in([root])
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used_styles |= {
                str(e.get(f"{_W}val")) for e in root.iter(f"{_W}{tag}") if e.get(f"{_W}val")
            }
    if "word/styles.xml" in members:
        places.update(_style_fonts(members["word/styles.xml"], used_styles))
    problems = []
    for place, names in places.items():
        for font in sorted(names):
            if not known_face(font):
                problems.append(
                    (
                        place,
                        f"font {font!r} is neither an official face (仿宋_GB2312, "
                        "方正小标宋简体, 黑体, 楷体_GB2312, 宋体 …) nor installed here",
                    )
                )
    return problems
