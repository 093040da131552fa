"""Materials in the dossier: filed in date order among the documents, listed, numbered,
embedded as originals (audio and video only listed), the pages undistorted and unclipped."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from archive.dossier import inspect_dossier, material_attachment_name, material_bookmark
from archive.dossier.material_pages import MARGIN, TOP, placement
from archive.materials import Filing

from .conftest import Filed, pdftotext

pytestmark = pytest.mark.slow  # LibreOffice converts the sample documents

MM = 72 / 25.4


def _order(filed: Filed) -> list[str]:
    """Titles in filing order, as the 卷内文书清单 lists them."""
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    return [str(item.title) for item in reader.outline]


def test_materials_are_filed_in_date_order_among_the_documents(filed: Filed) -> None:
    titles = _order(filed)
    assert titles[:2] == ["封面", "卷内文书清单"] and titles[-1] == "卷内备考表"
    body = [t.split(" ")[1] for t in titles[2:-1]]  # "材料03 title", "01 title 文号"
    # 1 March photo; 2 March document 1, then the report of that day; 3 March document 2 and
    # the pledge; 4 March document 3, then the day's materials by number; media have no pages
    assert body == [
        "现场照片（后厨）",
        "约谈线索核实报告",
        "整改情况报告",
        "行政约谈审批表",
        "整改承诺书",
        "法制审核意见书",
        "授权委托书",
        "营业执照复印件",
        "现场照片（竖拍）",
    ]


def test_pages_and_page_numbers_count_the_materials(filed: Filed, tmp_path: Path) -> None:
    d = filed.dossier
    by_seq = {m.seq: r for m, r in zip(_sorted(filed), d.material_page_numbers, strict=True)}
    assert by_seq[3] == (1, 1)  # the first item of the file: 页号 1
    assert by_seq[1] == (3, 4) and by_seq[2] == (7, 8)
    assert by_seq[6] is None and by_seq[7] is None  # OFD and video: listed, no pages
    assert d.document_pages == 15 and d.items == 11
    assert d.page_count == 2 + 15 + 1
    assert [end - start for start, end in d.filed_ranges] == [0, 0, 1, 1, 1, 2, 0, 1, 0]
    last = d.page_count
    text = re.sub(r"\s+", "", pdftotext(d.pdf, tmp_path, last, last))
    assert "本卷共11件15页" in text


def test_every_page_of_a_material_carries_its_page_number(filed: Filed, tmp_path: Path) -> None:
    path = tmp_path / "d.pdf"
    path.write_bytes(filed.dossier.pdf)
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    front = filed.dossier.front_pages
    for page in range(front + 1, filed.dossier.page_count):
        width = float(reader.pages[page - 1].mediabox.width)
        words = pdftotext_words(path, page)
        corner = [w for w, x, y in words if x > width - 120 and y < 60]
        assert corner == [str(page - front)], (page, corner)


def test_the_list_names_author_title_date_and_page_numbers_of_each_material(
    filed: Filed, tmp_path: Path
) -> None:
    text = pdftotext(filed.dossier.pdf, tmp_path, 2, 2)
    lines = text.splitlines()

    def row(title: str) -> list[str]:
        return next(line for line in lines if title in line).split()

    photo = row("现场照片（后厨）")
    assert photo[0] == "1" and photo[-2:] == ["20260301", "1"]
    assert "中村市综合行政" in re.sub(r"\s+", "", text)  # 责任者 of the photo, wrapped
    report = row("整改情况报告")
    assert report[-2:] == ["20260302", "3-4"]
    # audio, video and OFD have no 页号; 备注 (two lines in its narrow column) says where
    video = row("约谈录像")
    assert video[0] == "11" and video[-1] == "20260305"
    at = next(i for i, line in enumerate(lines) if "约谈录像" in line)
    assert lines[at - 1].split()[-1] + lines[at + 1].split()[-1] == "录像另存"
    assert row("整改报告（电子件）")[-1] == "20260304"


def test_originals_are_embedded_byte_for_byte_and_media_only_listed(filed: Filed) -> None:
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    attachments = {name: data[0] for name, data in reader.attachments.items()}
    for m in filed.materials:
        name = material_attachment_name(m)
        if m.filing is Filing.separate:
            assert name not in attachments
        else:
            assert attachments[name] == m.data
    layout = json.loads(attachments["manifest.json"])["dossier"]["materials"]
    video = next(item for item in layout if item["title"] == "约谈录像")
    assert video["filing"] == "separate" and video["attachment"] is None
    assert video["sha256"] == filed.materials[6].sha256 and video["object_key"].endswith(".mp4")
    assert inspect_dossier(filed.dossier.pdf).findings == []


def test_a_pdfa_material_keeps_its_text_and_a_scan_becomes_page_images(
    filed: Filed, tmp_path: Path
) -> None:
    ranges = dict(zip([m.seq for m in _sorted(filed)], filed.dossier.material_ranges, strict=True))
    pledge = ranges[2]
    assert pledge is not None
    assert "第1页" in re.sub(r"\s+", "", pdftotext(filed.dossier.pdf, tmp_path, *pledge))
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    report = ranges[1]
    assert report is not None
    page = reader.pages[report[0] - 1]
    assert len(_images(page)) == 1
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (
        210,
        297,
    )


def test_images_are_placed_upright_undistorted_and_inside_the_margins(filed: Filed) -> None:
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    ranges = dict(zip([m.seq for m in _sorted(filed)], filed.dossier.material_ranges, strict=True))
    expected = {3: (16, 9), 4: (3, 4), 8: (2, 3)}  # landscape photo, PNG, photo shot turned
    for seq, (wide, high) in expected.items():
        span = ranges[seq]
        assert span is not None
        page = reader.pages[span[0] - 1]
        pw, ph = float(page.mediabox.width), float(page.mediabox.height)
        assert (pw > ph) == (wide > high), seq  # the page turns with the picture
        ((w, h, x, y, px_w, px_h),) = _images(page)
        assert w / h == pytest.approx(wide / high, rel=0.01), seq
        assert px_w / px_h == pytest.approx(wide / high, rel=0.01), seq
        assert x >= MARGIN * MM - 0.5 and x + w <= pw - MARGIN * MM + 0.5, seq
        assert y >= MARGIN * MM - 0.5 and y + h <= ph - TOP * MM + 0.5, seq


def test_a_small_image_keeps_its_size_and_a_large_one_is_fitted() -> None:
    small = placement(300, 200, 96)
    assert (round(small.w, 1), round(small.h, 1)) == (79.4, 52.9)
    big = placement(4000, 3000, 72)
    assert big.page_w == 297 and big.w / big.h == pytest.approx(4 / 3)
    assert big.h <= 210 - TOP - MARGIN + 1e-9


def _sorted(filed: Filed) -> list:
    return sorted(filed.materials, key=lambda m: (m.made_on, m.seq))


def _images(page: object) -> list[tuple[float, float, float, float, int, int]]:
    """Each image drawn on the page: width, height, x, y (points) and its pixel size."""
    assert isinstance(page, DictionaryObject)
    xobjects = page["/Resources"]["/XObject"]
    content = page.get_contents()
    assert content is not None
    ops = content.get_data().decode("latin-1")
    out = []
    for w, h, x, y, name in re.findall(
        r"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*(/\S+) Do", ops
    ):
        image = xobjects[name].get_object()
        out.append(
            (float(w), float(h), float(x), float(y), int(image["/Width"]), int(image["/Height"]))
        )
    return out


def pdftotext_words(path: Path, page: int) -> list[tuple[str, float, float]]:
    """The words of one page with the top-left corner of their box, in points."""
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        (word, float(x), float(y))
        for x, y, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html
        )
    ]


def test_bookmarks_open_each_material(filed: Filed) -> None:
    reader = PdfReader(io.BytesIO(filed.dossier.pdf))
    outline = {
        str(item.title): reader.get_destination_page_number(item) + 1 for item in reader.outline
    }
    for m, span in zip(_sorted(filed), filed.dossier.material_ranges, strict=True):
        if span is None:
            assert material_bookmark(m) not in outline
        else:
            assert outline[material_bookmark(m)] == span[0]
