"""The assembled dossier: layout, bookmarks, list, attachments, cover, fonts, QR, PDF/A."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import subprocess
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

from .conftest import Case, make_cover, make_manifest, pdftotext

pytestmark = pytest.mark.slow  # LibreOffice converts the sample documents


def test_page_count_is_cover_list_documents_and_backnote(case: Case) -> None:
    document_pages = sum(len(PdfReader(io.BytesIO(doc.pdf)).pages) for doc in case.documents)
    assert case.dossier.page_count == 1 + 1 + document_pages + 1
    assert case.dossier.document_pages == document_pages
    assert (case.dossier.front_pages, case.dossier.back_pages) == (2, 1)
    assert len(PdfReader(io.BytesIO(case.dossier.pdf)).pages) == case.dossier.page_count
    assert case.dossier.sha256 == hashlib.sha256(case.dossier.pdf).hexdigest()


def test_documents_follow_each_other_without_gaps(case: Case) -> None:
    ranges = case.dossier.ranges
    assert ranges[0][0] == 3
    assert all(nxt[0] == prev[1] + 1 for prev, nxt in itertools.pairwise(ranges))
    assert ranges[-1][1] == case.dossier.page_count - 1  # the 卷内备考表 closes the file
    numbers = case.dossier.page_numbers
    assert numbers[0][0] == 1 and numbers[-1][1] == case.dossier.document_pages
    assert [(a - 2, b - 2) for a, b in ranges] == numbers


def test_outline_has_cover_list_and_one_entry_per_document(case: Case) -> None:
    reader = PdfReader(io.BytesIO(case.dossier.pdf))
    outline = [
        (item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline
    ]
    expected = [
        ("封面", 1),
        ("卷内文书清单", 2),
        *(
            (bookmark_title(doc), start)
            for doc, (start, _) in zip(case.documents, case.dossier.ranges, strict=True)
        ),
        ("卷内备考表", case.dossier.page_count),
    ]
    assert outline == expected
    assert outline[5][0] == "04 行政约谈通知书 中村约通〔2026〕4号"


def test_list_gives_number_author_title_date_and_page_numbers(case: Case, tmp_path: Path) -> None:
    text = pdftotext(case.dossier.pdf, tmp_path, 2, 2)
    assert "卷内文书清单" in text
    header = next(line for line in text.splitlines() if "序号" in line).split()
    assert header == ["序号", "文号", "责任者", "文书名称", "日期", "页号", "备注"]
    for number, (doc, (first, last)) in enumerate(
        zip(case.documents, case.dossier.page_numbers, strict=True), start=1
    ):
        line = next(line for line in text.splitlines() if doc.doc_no in line).split()
        printed = str(first) if first == last else f"{first}-{last}"
        assert line[0] == str(number), line
        assert line[-1] == printed, line
        assert line[-2] == doc.issued_on.strftime("%Y%m%d"), line
        assert doc.title in line


def test_document_pages_are_numbered_from_one_at_the_top_right(case: Case, tmp_path: Path) -> None:
    front, total = case.dossier.front_pages, case.dossier.page_count
    words = _words(case.dossier.pdf, tmp_path)
    for page in range(1, total + 1):
        corner = [w for w, (x, y) in words.get(page, []) if x > 450 and y < 60]
        if front < page < total:
            assert corner == [str(page - front)], (page, corner)
        else:  # cover, list and 备考表 carry no 页号
            assert not [w for w in corner if w.isdigit()], (page, corner)


def test_backnote_counts_the_file_and_names_who_filed_and_checked_it(
    make_documents: Callable[[int], list[DossierDocument]], tmp_path: Path
) -> None:
    documents = make_documents(4)
    cover = make_cover(
        voided=("中村约通〔2026〕2号 行政约谈通知书（送达地址有误，已重新制发）",),
        supplemented=("中村约记〔2026〕5号 行政约谈记录（2026年5月6日补充归档）",),
    )
    dossier = assemble_dossier(cover, documents, make_manifest(documents))
    last = dossier.page_count
    text = re.sub(r"\s+", "", pdftotext(dossier.pdf, tmp_path, last, last))
    assert "卷内备考表" in text
    assert f"本卷共4件{dossier.document_pages}页" in text
    assert "作废文书：中村约通〔2026〕2号行政约谈通知书（送达地址有误，已重新制发）" in text
    assert "补充归档文书：中村约记〔2026〕5号" in text
    assert "立卷人：档案员张晓" in text and "检查人：法制科李强" in text
    assert "立卷时间：2026年4月20日" in text


def _words(pdf: bytes, tmp: Path) -> dict[int, list[tuple[str, tuple[float, float]]]]:
    """Each page's words with the top-left corner of their box, in points."""
    path = tmp / "words.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages: dict[int, list[tuple[str, tuple[float, float]]]] = {}
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        pages[number] = [
            (word, (float(x), float(y)))
            for x, y, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page
            )
        ]
    return pages


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
    cover = case.cover
    for value in (
        "行政约谈案件档案",
        "归档章",
        f"全宗号{cover.fonds_no}",
        f"档号{cover.archive_no}",
        f"案号{cover.case_no}",
        f"案由{cover.cause}",
        f"当事人{cover.party}",
        "起止日期2026年3月2日至2026年3月13日",  # the first and the last document
        "约谈日期2026年3月12日结案日期2026年4月17日",
        f"保管期限{cover.retention_label}",
        f"件数{len(case.documents)}件",
        f"页数{case.dossier.document_pages}页",  # only the documents' numbered pages
        f"立卷人{cover.filed_by}",
        cover.agency_name,
    ):
        assert value in compact, value


def test_a_long_party_name_wraps_and_is_never_set_below_ten_points(
    make_documents: Callable[[int], list[DossierDocument]], tmp_path: Path
) -> None:
    party = "中村市南湖区某某某某某某餐饮管理服务有限公司第一分公司暨" * 3 + "联营体"
    documents = make_documents(2)
    dossier = assemble_dossier(make_cover(party=party), documents, make_manifest(documents))
    compact = re.sub(r"\s+", "", pdftotext(dossier.pdf, tmp_path, 1, 1))
    assert party in compact.replace("当事人", "")  # the label sits beside the middle line
    path = tmp_path / "cover.pdf"
    path.write_bytes(dossier.pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    heights = [
        float(y1) - float(y0)
        for y0, y1, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
        if word and word in party
    ]
    assert len(heights) >= 3  # wrapped onto several lines
    assert min(heights) >= 10  # a glyph box at 10 pt is at least 10 pt tall


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
    documents = make_documents(30)
    dossier = assemble_dossier(make_cover(), documents, make_manifest(documents))
    assert dossier.front_pages == 3 and dossier.ranges[0][0] == 4  # cover, two list pages
    assert dossier.page_numbers[0] == (1, dossier.page_numbers[0][1])
    text = pdftotext(dossier.pdf, tmp_path, 1, 3)
    cover, first, second, _ = text.split("\f")
    assert f"{dossier.document_pages} 页" in re.sub(r"\s+", " ", cover)
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
