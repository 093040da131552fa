"""Inspection of a dossier: a sound one has no findings, a tampered one reports them all."""

from __future__ import annotations

import io
import shutil

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from archive.dossier import (
    OutlineEntry,
    attachment_name,
    bookmark_title,
    extract_text,
    inspect_dossier,
)

from .conftest import Case

pytestmark = pytest.mark.slow  # LibreOffice converts the sample documents


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_sound_dossier_has_no_findings(case: Case) -> None:
    report = inspect_dossier(case.dossier.pdf)
    assert report.findings == []
    assert report.ok and report.opens
    assert report.page_count == case.dossier.page_count
    assert (report.pdfa_part, report.pdfa_conformance) == (3, "B")
    assert report.outline_titles[2:-1] == [bookmark_title(doc) for doc in case.documents]
    assert [entry.page for entry in report.outline[2:-1]] == [r[0] for r in case.dossier.ranges]
    assert report.outline[-1] == OutlineEntry("卷内备考表", case.dossier.page_count)
    assert report.attachments[attachment_name(case.documents[0])] == case.documents[0].sha256
    assert report.manifest is not None and report.manifest["case"] == case.manifest["case"]
    assert report.fonts and all(font.embedded for font in report.fonts)


def test_a_tampered_dossier_reports_every_finding(case: Case) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(case.dossier.pdf)))
    writer.remove_page(5)  # a page of the third document
    target = attachment_name(case.documents[6])
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[[str(name) for name in names[::2]].index(target) * 2 + 1].get_object()
    spec["/EF"]["/F"].get_object().set_data(b"PK\x03\x04 a forged document")
    del writer.root_object["/OutputIntents"]

    report = inspect_dossier(_write(writer))

    assert report.opens
    joined = "\n".join(report.findings)
    assert f"has {case.dossier.page_count - 1} pages" in joined
    assert f"attachment {target} does not match" in joined
    assert f"bookmark {bookmark_title(case.documents[3])} opens page" in joined  # shifted
    assert "no GTS_PDFA1 output intent" in joined
    assert len(report.findings) >= 4


def test_lost_metadata_and_an_unembedded_font_are_both_reported(case: Case) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(case.dossier.pdf)))
    del writer.root_object["/Metadata"]
    extra = FPDF()
    extra.add_page()
    extra.set_font("helvetica", size=12)
    extra.cell(text="not embedded")
    writer.append(PdfReader(io.BytesIO(bytes(extra.output()))), import_outline=False)
    writer.root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")

    report = inspect_dossier(_write(writer))

    joined = "\n".join(report.findings)
    assert "no XMP metadata" in joined
    assert "font Helvetica is not embedded" in joined
    assert "the dossier has" in joined  # one page more than the manifest says
    assert report.pdfa_part is None


def test_a_file_that_is_not_a_pdf_does_not_open() -> None:
    report = inspect_dossier(b"this is not a PDF")
    assert not report.opens and not report.ok
    assert report.findings[0].startswith("the PDF does not open")


def test_extract_text_covers_cover_list_and_documents(case: Case) -> None:
    text = extract_text(case.dossier.pdf)
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) == case.dossier.page_count
    assert case.cover.case_no in pages[0] and case.cover.party in pages[0]
    assert case.documents[0].doc_no in pages[1]
    assert "食品安全法" in text  # from the documents themselves


def test_extract_text_without_poppler_still_reads_the_chinese(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    text = extract_text(case.dossier.pdf)
    assert case.cover.case_no in text and "卷内文书清单" in text and "\x00" not in text
