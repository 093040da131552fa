"""Usability and authenticity checks of a dossier PDF; every finding is collected."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tempfile
from typing import Any

from pypdf import PdfReader
from pypdf.generic import Destination

from archive.dossier.merge import (
    BACKNOTE_BOOKMARK,
    COVER_BOOKMARK,
    LAYOUT_KEY,
    LIST_BOOKMARK,
    MANIFEST_NAME,
)
from archive.dossier.models import DossierInspection, OutlineEntry
from archive.dossier.pdfa_checks import fonts_of, pdfa_findings, xmp_properties


def inspect_dossier(pdf: bytes) -> DossierInspection:
    """Open the dossier and report what it holds and everything wrong with it."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        page_count = len(reader.pages)
    except Exception as exc:  # any parser failure means the file is unusable
        return DossierInspection(opens=False, findings=[f"the PDF does not open: {exc}"])
    findings: list[str] = []
    outline = _outline(reader, findings)
    raw = _attachments(reader, findings)
    attachments = {name: hashlib.sha256(data).hexdigest() for name, data in raw.items()}
    manifest = _manifest(raw.get(MANIFEST_NAME), findings)
    fonts = fonts_of(reader)
    findings += [f"font {font.name} is not embedded" for font in fonts if not font.embedded]
    props = xmp_properties(reader) or {}
    part = props.get("pdfaid:part")
    findings += pdfa_findings(pdf, reader)
    if manifest is not None:
        _check_layout(manifest, page_count, outline, attachments, findings)
    return DossierInspection(
        opens=True,
        page_count=page_count,
        outline=outline,
        attachments=attachments,
        manifest=manifest,
        fonts=fonts,
        pdfa_part=int(part) if part and part.isdigit() else None,
        pdfa_conformance=props.get("pdfaid:conformance"),
        findings=findings,
    )


def extract_text(pdf: bytes) -> str:
    """All text of the dossier, pages separated by form feeds, for full-text indexing."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler lays out lines better than pypdf
        with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
            source.write(pdf)
            source.flush()
            done = subprocess.run(
                [pdftotext, "-enc", "UTF-8", source.name, "-"],
                capture_output=True,
                check=False,
                timeout=60,
            )
        if done.returncode == 0:
            return done.stdout.decode("utf-8")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\f".join(page.extract_text() for page in reader.pages)
    # pypdf reads fpdf2's two-byte CMap one byte at a time: each glyph gains a NUL
    return text.replace("\x00", "")


def _outline(reader: PdfReader, findings: list[str]) -> list[OutlineEntry]:
    entries = []
    for item in reader.outline:
        if not isinstance(item, Destination):
            continue  # nested children: the dossier writes a flat outline
        try:
            index = reader.get_destination_page_number(item)
        except Exception:
            index = None
        index = -1 if index is None else index
        entries.append(OutlineEntry(str(item.title), index + 1 if index >= 0 else 0))
        if index < 0:
            findings.append(f"bookmark {item.title!s} points to no page")
    return entries


def _attachments(reader: PdfReader, findings: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        for name, contents in reader.attachments.items():
            found[name] = contents[0]
    except Exception as exc:
        findings.append(f"the attachments cannot be read: {exc}")
    return found


def _manifest(data: bytes | None, findings: list[str]) -> dict[str, Any] | None:
    if data is None:
        findings.append(f"no {MANIFEST_NAME} attached")
        return None
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        findings.append(f"{MANIFEST_NAME} is not valid JSON: {exc}")
        return None
    if not isinstance(parsed, dict):
        findings.append(f"{MANIFEST_NAME} is not a JSON object")
        return None
    return parsed


def _check_layout(
    manifest: dict[str, Any],
    page_count: int,
    outline: list[OutlineEntry],
    attachments: dict[str, str],
    findings: list[str],
) -> None:
    """Compare the file with the layout the assembler recorded in the manifest."""
    layout = manifest.get(LAYOUT_KEY)
    if not isinstance(layout, dict):
        findings.append(f"{MANIFEST_NAME} has no {LAYOUT_KEY!r} layout section")
        return
    if layout.get("page_count") != page_count:
        findings.append(
            f"the dossier has {page_count} pages, the manifest says {layout.get('page_count')}"
        )
    bookmarks = {entry.title: entry.page for entry in outline}
    expected = [(COVER_BOOKMARK, 1), (LIST_BOOKMARK, 2)]
    if layout.get("back_pages"):
        expected.append((BACKNOTE_BOOKMARK, page_count))
    for title, page in expected:
        if bookmarks.get(title) != page:
            findings.append(f"bookmark {title} is missing or does not open page {page}")
    expected_files = {MANIFEST_NAME}
    caller_hashes = {
        doc.get("seq"): doc.get("sha256")
        for doc in manifest.get("documents", [])
        if isinstance(doc, dict)
    }
    for doc in layout.get("documents", []):
        name, start = doc["attachment"], doc["pages"][0]
        expected_files.add(name)
        if name not in attachments:
            findings.append(f"attachment {name} is missing")
        elif attachments[name] != doc["sha256"]:
            findings.append(f"attachment {name} does not match its SHA-256 in the manifest")
        if doc["seq"] in caller_hashes and caller_hashes[doc["seq"]] != doc["sha256"]:
            findings.append(f"document {doc['seq']}: manifest hashes disagree")
        if doc["bookmark"] not in bookmarks:
            findings.append(f"bookmark {doc['bookmark']} is missing")
        elif bookmarks[doc["bookmark"]] != start:
            findings.append(
                f"bookmark {doc['bookmark']} opens page {bookmarks[doc['bookmark']]}, not {start}"
            )
    for item in layout.get("materials", []):
        _check_material(item, attachments, bookmarks, expected_files, findings)
    findings += [
        f"unexpected attachment {name}" for name in sorted(set(attachments) - expected_files)
    ]


def _check_material(
    item: dict[str, Any],
    attachments: dict[str, str],
    bookmarks: dict[str, int],
    expected_files: set[str],
    findings: list[str],
) -> None:
    """A material's original is embedded with its hash and its pages open at its bookmark;
    audio and video are not embedded (they are objects of their own)."""
    name, title = item.get("attachment"), item.get("title")
    if name:
        expected_files.add(name)
        if name not in attachments:
            findings.append(f"material {title}: attachment {name} is missing")
        elif attachments[name] != item.get("sha256"):
            findings.append(f"material {title}: attachment {name} does not match its SHA-256")
    elif item.get("filing") == "separate" and item.get("sha256") in attachments.values():
        findings.append(f"material {title}: audio or video is embedded in the dossier")
    pages, bookmark = item.get("pages") or [], item.get("bookmark")
    if pages and bookmarks.get(bookmark or "") != pages[0]:
        findings.append(f"bookmark {bookmark} is missing or does not open page {pages[0]}")
