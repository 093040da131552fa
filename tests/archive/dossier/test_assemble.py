"""The assembled dossier: layout, bookmarks, list, attachments, cover, fonts, QR, PDF/A."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from archive.dossier import (
    DossierDocument,
    DossierError,
    assemble_dossier,
    attachment_name,
    bookmark_title,
)
from archive.dossier.listing import ROWS_PER_PAGE

from .conftest import Case, make_cover, make_manifest, pdftotext

pytestmark = pytest.mark.slow  # LibreOffice converts the sample documents


def test_page_count_is_cover_list_and_documents(case: Case) -> None:
    document_pages = sum(len(PdfReader(io.BytesIO(doc.pdf)).pages) for doc in case.documents)
    assert case.dossier.page_count == 1 + 1 + document_pages
    assert len(PdfReader(io.BytesIO(case.dossier.pdf)).pages) == case.dossier.page_count
    assert case.dossier.sha256 == hashlib.sha256(case.dossier.pdf).hexdigest()


def test_documents_follow_each_other_without_gaps(case: Case) -> None:
    ranges = case.dossier.ranges
    assert ranges[0][0] == 3
    assert all(nxt[0] == prev[1] + 1 for prev, nxt in itertools.pairwise(ranges))
    assert ranges[-1][1] == case.dossier.page_count


def test_outline_has_cover_list_and_one_entry_per_document(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    outline = [
        (item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline
    ]
    expected = [("封面", 1), ("卷内文书清单", 2)] + [
        (bookmark_title(doc), start)
        for doc, (start, _) in zip(case.documents, case.dossier.ranges, strict=True)
    ]
    assert outline == expected
    assert outline[5][0] == "04 行政约谈通知书 中村约通〔2026〕4号"


def test_list_page_ranges_match_the_dossier(case: Case, tmp_path: Path) -> None:
    text = pdftotext(case.dossier.pdf, tmp_path, 2, 2)
    assert "卷内文书清单" in text
    for doc, (start, end) in zip(case.documents, case.dossier.ranges, strict=True):
        line = next(line for line in text.splitlines() if doc.doc_no in line)
        printed = str(start) if start == end else f"{start}-{end}"
        assert line.split()[-1] == printed, line
        assert line.split()[-2] == str(end - start + 1), line
        assert doc.title in line and doc.issued_on.isoformat() in line


def test_attachments_are_the_docx_inputs_byte_for_byte(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    attachments = {name: data[0] for name, data in reader.attachments.items()}
    assert set(attachments) == {attachment_name(doc) for doc in case.documents} | {"manifest.json"}
    for doc in case.documents:
        assert hashlib.sha256(attachments[attachment_name(doc)]).hexdigest() == doc.sha256
    assert attachment_name(case.documents[3]) == "04-中村约通〔2026〕4号.docx"


def test_attachment_file_specs_carry_unicode_names_and_relationships(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    names = reader.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {
        str(key): value.get_object() for key, value in zip(names[::2], names[1::2], strict=True)
    }
    docx_spec = specs[attachment_name(case.documents[0])]
    assert docx_spec["/F"] == docx_spec["/UF"] == attachment_name(case.documents[0])
    assert docx_spec["/AFRelationship"] == "/Source"
    assert specs["manifest.json"]["/AFRelationship"] == "/Supplement"
    associated = {ref.idnum for ref in reader.root_object["/AF"]}
    assert associated == {names[i].idnum for i in range(1, len(names), 2)}


def test_manifest_round_trips_with_the_layout_added(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    embedded = json.loads(reader.attachments["manifest.json"][0])
    layout = embedded.pop("dossier")
    assert embedded == case.manifest
    assert layout["page_count"] == case.dossier.page_count
    assert [doc["pages"] for doc in layout["documents"]] == [
        list(pages) for pages in case.dossier.ranges
    ]


def test_cover_shows_the_archive_fields(case: Case, tmp_path: Path) -> None:
    text = pdftotext(case.dossier.pdf, tmp_path, 1, 1)
    compact = re.sub(r"\s+", "", text)
    for value in (
        "行政约谈案件档案",
        "归档章",
        case.cover.agency_name,
        case.cover.archive_no,
        case.cover.case_no,
        case.cover.party,
        case.cover.retention_label,
        case.cover.fonds_no,
        "2026年3月12日",
    ):
        assert value in compact, value
    assert f"共{case.dossier.page_count}页" in compact


def test_every_font_is_embedded(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(case.dossier.pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert lines
    assert any("NotoSerifCJKSC" in line for line in lines)
    assert all(line.split()[-5] == "yes" for line in lines), lines  # the "emb" column


def test_cover_qr_code_decodes_to_the_verify_url(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(case.dossier.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "cover")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("cover*.png")))
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [case.cover.verify_url]


def test_xmp_identifies_pdfa_3b_and_matches_the_info(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    xmp = reader.root_object["/Metadata"].get_object()
    assert "/Filter" not in xmp
    data = xmp.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in data
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in data
    assert reader.metadata is not None and reader.metadata.title in data
    assert case.dossier.pdf.startswith(b"%PDF-1.7\n%")
    assert reader.root_object["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"


def test_a_long_list_spills_onto_a_second_page(
    make_documents: Callable[[int], list[DossierDocument]], tmp_path: Path
) -> None:
    documents = make_documents(ROWS_PER_PAGE + 5)
    dossier = assemble_dossier(make_cover(), documents, make_manifest(documents))
    assert dossier.ranges[0][0] == 4  # cover, two list pages
    text = pdftotext(dossier.pdf, tmp_path, 1, 3)
    cover, first, second, _ = text.split("\f")
    assert f"共 {dossier.page_count} 页" in re.sub(r"\s+", " ", cover)
    assert "卷内文书清单（续）" in second
    assert documents[-1].doc_no in second and documents[-1].doc_no not in first


def test_a_rare_character_falls_back_to_the_full_font(
    make_documents: Callable[[int], list[DossierDocument]], tmp_path: Path
) -> None:
    documents = make_documents(2)
    cover = make_cover(party="张堃喆")  # 堃 and 喆 are not in GB2312
    dossier = assemble_dossier(cover, documents, make_manifest(documents))
    assert "张堃喆" in re.sub(r"\s+", "", pdftotext(dossier.pdf, tmp_path, 1, 1))


def test_a_docx_that_does_not_match_its_hash_is_refused(
    make_documents: Callable[[int], list[DossierDocument]],
) -> None:
    documents = make_documents(2)
    documents[1] = DossierDocument(**{**documents[1].__dict__, "docx": b"changed"})
    with pytest.raises(DossierError, match="document 2"):
        assemble_dossier(make_cover(), documents, make_manifest(documents))


def test_assembly_time_of_twelve_documents(case: Case) -> None:
    manifest = make_manifest(case.documents)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        assemble_dossier(case.cover, case.documents, manifest)
        timings.append(time.perf_counter() - started)
    print(
        f"\nassembly of 12 documents: best {min(timings):.3f} s, "
        f"runs {', '.join(f'{t:.3f}' for t in timings)}"
    )
