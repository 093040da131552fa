"""Assemble a closed case into one PDF/A-3b dossier: cover, list, documents, 备考表, attachments.

The documents' pages carry a continuous 页号 from 1 (top right); the cover, the 卷内文书清单
and the 卷内备考表 are not numbered and not counted in 页数 (DA/T 22).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pypdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

from archive.dossier.backnote import backnote_text, draw_backnote
from archive.dossier.cover import CoverFacts, cover_text, draw_cover
from archive.dossier.folio import stamp_page_numbers
from archive.dossier.listing import ListRow, draw_list, list_text, paginate
from archive.dossier.models import AssembledDossier, DossierCover, DossierDocument
from archive.dossier.page import FrontPage
from archive.dossier.pdfa import (
    PDF_HEADER,
    Attachment,
    DocInfo,
    add_output_intent,
    attach_files,
    set_metadata,
)

BEIJING = timezone(timedelta(hours=8))
MANIFEST_NAME = "manifest.json"
LAYOUT_KEY = "dossier"  # the assembler's own section of the embedded manifest
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
COVER_BOOKMARK = "封面"
LIST_BOOKMARK = "卷内文书清单"
BACKNOTE_BOOKMARK = "卷内备考表"
_FORBIDDEN_ANNOT_FLAGS = 1 | 2 | 32  # Invisible, Hidden, NoView
_PRINT_FLAG = 4
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


class DossierError(ValueError):
    """The inputs cannot make a dossier (unreadable PDF, hash mismatch, bad manifest)."""


def attachment_name(document: DossierDocument) -> str:
    """The embedded DOCX's file name: "04-中村约通〔2026〕3号.docx" (unique by ``seq``)."""
    stem = _UNSAFE_IN_NAMES.sub("_", document.doc_no or document.title).strip()
    return f"{document.seq:02d}-{stem}.docx"


def bookmark_title(document: DossierDocument) -> str:
    """The document's outline title: "04 行政约谈通知书 中村约通〔2026〕3号"."""
    return f"{document.seq:02d} {document.title} {document.doc_no}".strip()


def assemble_dossier(
    cover: DossierCover, documents: Sequence[DossierDocument], manifest: dict[str, Any]
) -> AssembledDossier:
    """Build the dossier PDF; documents go in time order (issued_on, then seq).

    The embedded manifest.json is ``manifest`` plus a "dossier" section recording the
    layout (pages, bookmarks, attachment hashes) that ``inspect_dossier`` checks against.
    """
    if LAYOUT_KEY in manifest:
        raise DossierError(f"manifest key {LAYOUT_KEY!r} is reserved for the assembler")
    now = datetime.now(BEIJING).replace(microsecond=0)
    if cover.filed_on is None:
        cover = replace(cover, filed_on=now.date())
    ordered = sorted(documents, key=lambda doc: (doc.issued_on, doc.seq))
    _check_hashes(ordered)
    readers = [_open(doc) for doc in ordered]
    rows, folio = [], 1
    for number, (doc, reader) in enumerate(zip(ordered, readers, strict=True), start=1):
        count = len(reader.pages)
        author = doc.author or cover.agency_name
        rows.append(
            ListRow(
                number,
                doc.doc_no,
                author,
                doc.title,
                doc.dated,
                folio,
                folio + count - 1,
                doc.remark,
            )
        )
        folio += count
    numbered = folio - 1
    dates = [doc.dated for doc in ordered]
    facts = CoverFacts(len(ordered), numbered, min(dates, default=None), max(dates, default=None))
    pdf = FrontPage(cover_text(cover) + list_text(rows))
    draw_cover(pdf, cover, facts)
    list_pages = paginate(pdf, rows)  # measuring text needs a page: after the cover
    front = 1 + len(list_pages)
    draw_list(pdf, list_pages, case_no=cover.case_no, archive_no=cover.archive_no)
    front_pdf = bytes(pdf.output())
    back = FrontPage(backnote_text(cover))
    draw_backnote(back, cover, documents=len(ordered), pages=numbered)
    back_pdf = bytes(back.output())

    writer = PdfWriter()
    writer.pdf_header = PDF_HEADER
    writer.append(PdfReader(io.BytesIO(front_pdf)), import_outline=False)
    for reader in readers:
        writer.append(reader, import_outline=False)
    stamp_page_numbers(list(writer.pages[front:]))
    writer.append(PdfReader(io.BytesIO(back_pdf)), import_outline=False)
    total = front + numbered + 1
    if len(writer.pages) != total:
        raise DossierError(f"laid out {total} pages but merged {len(writer.pages)}")
    ranges = [(front + row.first, front + row.last) for row in rows]
    _sanitize_annotations(writer)
    writer.add_outline_item(title=COVER_BOOKMARK, page_number=0)
    writer.add_outline_item(title=LIST_BOOKMARK, page_number=1)
    for doc, (start, _) in zip(ordered, ranges, strict=True):
        writer.add_outline_item(title=bookmark_title(doc), page_number=start - 1)
    writer.add_outline_item(title=BACKNOTE_BOOKMARK, page_number=total - 1)

    names = [attachment_name(doc) for doc in ordered]
    layout = {
        "page_count": total,
        "front_pages": front,
        "back_pages": 1,
        "numbered_pages": numbered,
        "documents": [
            {
                "seq": doc.seq,
                "attachment": name,
                "sha256": doc.sha256,
                "pdf_sha256": doc.pdf_sha256,
                "pages": list(pages),
                "page_numbers": [row.first, row.last],
                "bookmark": bookmark_title(doc),
            }
            for doc, row, pages, name in zip(ordered, rows, ranges, names, strict=True)
        ],
    }
    embedded = {**manifest, LAYOUT_KEY: layout}
    files = [
        Attachment(name, doc.docx, DOCX_MIME, "Source", f"{doc.title} {doc.doc_no}（源文件）", now)
        for doc, name in zip(ordered, names, strict=True)
    ]
    files.append(
        Attachment(
            MANIFEST_NAME,
            json.dumps(embedded, ensure_ascii=False, indent=2, default=str).encode(),
            "application/json",
            "Supplement",
            "档案清单：元数据、文书摘要值、完整性报告",
            now,
        )
    )
    attach_files(writer, files)
    add_output_intent(writer)
    set_metadata(
        writer,
        DocInfo(
            title=f"行政约谈案件档案 {cover.case_no}",
            author=cover.agency_name,
            subject=f"{cover.party} {cover.case_no} 档号 {cover.archive_no}",
            keywords=f"{cover.case_no}; {cover.archive_no}; {cover.retention_label}",
            creator="anjuan dossier assembler",
            producer=f"anjuan with fpdf2 and pypdf {pypdf.__version__}",
            created=now,
        ),
    )
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject("zh-CN")
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer.generate_file_identifiers()
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    return AssembledDossier(
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=total,
        ranges=ranges,
        page_numbers=[(row.first, row.last) for row in rows],
        front_pages=front,
        back_pages=1,
    )


def _check_hashes(documents: list[DossierDocument]) -> None:
    seqs = [doc.seq for doc in documents]
    if len(set(seqs)) != len(seqs):
        raise DossierError(f"duplicate document numbers in {seqs}")
    for doc in documents:
        if hashlib.sha256(doc.docx).hexdigest() != doc.sha256:
            raise DossierError(f"document {doc.seq}: DOCX does not match its SHA-256")
        if hashlib.sha256(doc.pdf).hexdigest() != doc.pdf_sha256:
            raise DossierError(f"document {doc.seq}: PDF does not match its SHA-256")


def _open(document: DossierDocument) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(document.pdf))
        if reader.is_encrypted or not reader.pages:
            raise DossierError(f"document {document.seq}: PDF is encrypted or has no pages")
    except pypdf.errors.PyPdfError as exc:
        raise DossierError(f"document {document.seq}: unreadable PDF ({exc})") from exc
    return reader


def _sanitize_annotations(writer: PdfWriter) -> None:
    """PDF/A: every annotation prints and none is hidden."""
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if isinstance(annot, DictionaryObject):
                flags = int(annot.get("/F", 0))
                annot[NameObject("/F")] = NumberObject(
                    (flags | _PRINT_FLAG) & ~_FORBIDDEN_ANNOT_FLAGS
                )
