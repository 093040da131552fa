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
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pypdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

from archive.dossier.backnote import backnote_text, draw_backnote
from archive.dossier.cover import CoverFacts, cover_text, draw_cover
from archive.dossier.folio import apply_page_numbers, draw_page_numbers
from archive.dossier.listing import ListRow, draw_list, list_text, paginate
from archive.dossier.material_pages import MaterialPagesError, material_pages
from archive.dossier.models import (
    AssembledDossier,
    DossierCover,
    DossierDocument,
    DossierMaterial,
)
from archive.dossier.page import FrontPage
from archive.dossier.pdfa import (
    PDF_HEADER,
    Attachment,
    DocInfo,
    add_output_intent,
    attach_files,
    set_metadata,
)
from archive.materials import EXTENSIONS, Filing

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


def material_attachment_name(material: DossierMaterial) -> str:
    """The embedded original's file name: "材料03-整改报告.pdf" (unique by ``seq``)."""
    stem = _UNSAFE_IN_NAMES.sub("_", material.title).strip()[:60]
    return f"材料{material.seq:02d}-{stem}.{EXTENSIONS[material.format]}"


def material_bookmark(material: DossierMaterial) -> str:
    """The material's outline title: "材料03 整改报告"."""
    return f"材料{material.seq:02d} {material.title}".strip()


def material_remark(material: DossierMaterial) -> str:
    """备注: where a material without pages is (the caller's own remark wins)."""
    if material.remark:
        return material.remark
    if material.filing is Filing.separate:
        return "录像另存" if material.media_type.startswith("video/") else "录音另存"
    if material.filing is Filing.attached:
        return "原件附卷"
    return ""


@dataclass
class _Item:
    """One row of the 卷内文书清单 while it is laid out: a document or a material."""

    dated: date
    rank: int  # documents before materials of the same day
    seq: int
    document: DossierDocument | None = None
    material: DossierMaterial | None = None
    reader: PdfReader | None = None
    first: int | None = None
    last: int | None = None


def assemble_dossier(
    cover: DossierCover,
    documents: Sequence[DossierDocument],
    manifest: dict[str, Any],
    materials: Sequence[DossierMaterial] = (),
) -> AssembledDossier:
    """Build the dossier PDF; documents (by 成文日期, then seq) and materials (by their date)
    go in time order, a material after the documents of its day; the cover's 起止日期 spans
    those dates.

    The embedded manifest.json is ``manifest`` plus a "dossier" section recording the
    layout (pages, bookmarks, attachment hashes) that ``inspect_dossier`` checks against.
    """
    if LAYOUT_KEY in manifest:
        raise DossierError(f"manifest key {LAYOUT_KEY!r} is reserved for the assembler")
    now = datetime.now(BEIJING).replace(microsecond=0)
    if cover.filed_on is None:
        cover = replace(cover, filed_on=now.date())
    ordered = sorted(documents, key=lambda doc: (doc.dated, doc.seq))  # by 成文日期
    filed = sorted(materials, key=lambda m: (m.made_on, m.seq))
    _check_hashes(ordered)
    _check_materials(filed)
    items = [_Item(d.dated, 0, d.seq, document=d, reader=_open(d)) for d in ordered]
    items += [_Item(m.made_on, 1, m.seq, material=m, reader=_material_reader(m)) for m in filed]
    items.sort(key=lambda item: (item.dated, item.rank, item.seq))
    rows, folio = [], 1
    for number, item in enumerate(items, start=1):
        if item.reader is not None:
            item.first, item.last = folio, folio + len(item.reader.pages) - 1
            folio = item.last + 1
        rows.append(_row(number, item, cover.agency_name))
    numbered = folio - 1
    dates = [item.dated for item in items]
    facts = CoverFacts(len(items), numbered, min(dates, default=None), max(dates, default=None))
    # The cover, the list, the 备考表 and the 页号 overlays are drawn in one fpdf2 document
    # (the CJK font is read and subset once), then split into their places.
    pdf = FrontPage(cover_text(cover) + list_text(rows) + backnote_text(cover) + "0123456789")
    draw_cover(pdf, cover, facts)
    list_pages = paginate(pdf, rows)  # measuring text needs a page: after the cover
    front = 1 + len(list_pages)
    draw_list(pdf, list_pages, case_no=cover.case_no, archive_no=cover.archive_no)
    draw_backnote(pdf, cover, documents=len(items), pages=numbered)
    if pdf.page != front + 1:
        raise DossierError(f"the 备考表 took {pdf.page - front} pages, not one")
    filed_pages = [page for item in items if item.reader is not None for page in item.reader.pages]
    draw_page_numbers(pdf, filed_pages)
    drawn = PdfReader(io.BytesIO(bytes(pdf.output())))

    writer = PdfWriter()
    writer.pdf_header = PDF_HEADER
    writer.append(drawn, pages=(0, front), import_outline=False)
    for item in items:
        if item.reader is not None:
            writer.append(item.reader, import_outline=False)
    apply_page_numbers(list(writer.pages[front:]), list(drawn.pages[front + 1 :]))
    writer.append(drawn, pages=(front, front + 1), import_outline=False)
    total = front + numbered + 1
    if len(writer.pages) != total:
        raise DossierError(f"laid out {total} pages but merged {len(writer.pages)}")

    def pages_of(item: _Item) -> tuple[int, int] | None:
        if item.first is None or item.last is None:
            return None
        return front + item.first, front + item.last

    def numbers_of(item: _Item) -> tuple[int, int] | None:
        return None if item.first is None or item.last is None else (item.first, item.last)

    docs = [item for item in items if item.document is not None]
    mats = [item for item in items if item.material is not None]
    ranges = [pages_of(item) or (0, 0) for item in docs]
    _sanitize_annotations(writer)
    writer.add_outline_item(title=COVER_BOOKMARK, page_number=0)
    writer.add_outline_item(title=LIST_BOOKMARK, page_number=1)
    for item in items:
        span = pages_of(item)
        if span is not None:
            writer.add_outline_item(title=_bookmark(item), page_number=span[0] - 1)
    writer.add_outline_item(title=BACKNOTE_BOOKMARK, page_number=total - 1)

    layout = {
        "page_count": total,
        "front_pages": front,
        "back_pages": 1,
        "numbered_pages": numbered,
        "documents": [
            {
                "seq": doc.seq,
                "attachment": attachment_name(doc),
                "sha256": doc.sha256,
                "pdf_sha256": doc.pdf_sha256,
                "pages": list(pages_of(item) or ()),
                "page_numbers": list(numbers_of(item) or ()),
                "bookmark": bookmark_title(doc),
            }
            for item in docs
            if (doc := item.document) is not None
        ],
        "materials": [_material_layout(item, pages_of(item), numbers_of(item)) for item in mats],
    }
    embedded = {**manifest, LAYOUT_KEY: layout}
    files = [
        Attachment(
            attachment_name(doc),
            doc.docx,
            DOCX_MIME,
            "Source",
            f"{doc.title} {doc.doc_no}（源文件）",
            now,
        )
        for item in docs
        if (doc := item.document) is not None
    ]
    files += [
        Attachment(
            material_attachment_name(m), m.data, m.media_type, "Source", f"{m.title}（原件）", now
        )
        for item in mats
        if (m := item.material) is not None and m.filing is not Filing.separate
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
            title=f"{cover.title} {cover.case_no}",
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
        page_numbers=[numbers_of(item) or (0, 0) for item in docs],
        front_pages=front,
        back_pages=1,
        material_ranges=[pages_of(item) for item in mats],
        material_page_numbers=[numbers_of(item) for item in mats],
        items=len(items),
        filed_ranges=[span for item in items if (span := pages_of(item)) is not None],
    )


def _row(number: int, item: _Item, agency: str) -> ListRow:
    if item.document is not None:
        doc = item.document
        author = doc.author or agency
        return ListRow(
            number, doc.doc_no, author, doc.title, doc.dated, item.first, item.last, doc.remark
        )
    assert item.material is not None
    m = item.material
    return ListRow(
        number,
        m.doc_no,
        m.author or agency,
        m.title,
        m.made_on,
        item.first,
        item.last,
        material_remark(m),
    )


def _bookmark(item: _Item) -> str:
    if item.document is not None:
        return bookmark_title(item.document)
    assert item.material is not None
    return material_bookmark(item.material)


def _material_layout(
    item: _Item, pages: tuple[int, int] | None, numbers: tuple[int, int] | None
) -> dict[str, Any]:
    m = item.material
    assert m is not None
    return {
        "seq": m.seq,
        "title": m.title,
        "filing": m.filing.value,
        "media_type": m.media_type,
        "sha256": m.sha256,
        "size": m.size,
        "attachment": None if m.filing is Filing.separate else material_attachment_name(m),
        "object_key": m.object_key or None,
        "pages": list(pages or ()),
        "page_numbers": list(numbers or ()),
        "bookmark": material_bookmark(m) if pages else None,
    }


def _check_materials(materials: list[DossierMaterial]) -> None:
    seqs = [m.seq for m in materials]
    if len(set(seqs)) != len(seqs):
        raise DossierError(f"duplicate material numbers in {seqs}")
    for m in materials:
        if m.filing is Filing.separate:
            if m.data:
                raise DossierError(f"material {m.seq}: audio and video are not embedded")
        elif hashlib.sha256(m.data).hexdigest() != m.sha256:
            raise DossierError(f"material {m.seq}: the file does not match its SHA-256")


def _material_reader(material: DossierMaterial) -> PdfReader | None:
    if material.filing is not Filing.pages:
        return None
    try:
        reader = PdfReader(io.BytesIO(material_pages(material.data, material.format)))
    except (MaterialPagesError, pypdf.errors.PyPdfError, OSError, ValueError) as exc:
        raise DossierError(f"material {material.seq}: cannot be filed as pages ({exc})") from exc
    if material.pages and len(reader.pages) != material.pages:
        raise DossierError(
            f"material {material.seq}: {material.pages} pages recorded, {len(reader.pages)} made"
        )
    return reader


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
