"""The templates as GB/T 9704 sets a notice: faces by name, sizes, the 22-line grid, zh-CN."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from doc_templates import all_templates

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CODES = [t.code for t in all_templates()]
OFFICIAL_FACES = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体", "宋体"}


def _body(code: str) -> etree._Element:
    template = next(t for t in all_templates() if t.code == code)
    with zipfile.ZipFile(template.docx_path) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def _runs(root: etree._Element) -> list[tuple[str, str, int | None]]:
    """(text, east-Asian face, half-points) of every run with text."""
    found = []
    for run in root.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not text.strip() or text.startswith("{%"):
            continue
        fonts = run.find(f"{W}rPr/{W}rFonts")
        size = run.find(f"{W}rPr/{W}sz")
        found.append(
            (
                text,
                fonts.get(f"{W}eastAsia") if fonts is not None else "",
                int(size.get(f"{W}val")) if size is not None else None,
            )
        )
    return found


@pytest.mark.parametrize("code", CODES)
def test_every_run_names_an_official_face_in_chinese_and_says_zh_cn(code):
    root = _body(code)
    for run in root.iter(f"{W}r"):
        if not "".join(t.text or "" for t in run.iter(f"{W}t")).strip():
            continue
        fonts = run.find(f"{W}rPr/{W}rFonts")
        lang = run.find(f"{W}rPr/{W}lang")
        assert fonts is not None and fonts.get(f"{W}eastAsia") in OFFICIAL_FACES
        assert lang is not None and lang.get(f"{W}eastAsia") == "zh-CN"


@pytest.mark.parametrize("code", CODES)
def test_title_is_erhao_xiaobiaosong_and_the_body_sanhao_fangsong(code):
    runs = _runs(_body(code))
    title = next(t for t in all_templates() if t.code == code).name
    assert (title, "方正小标宋简体", 44) in runs
    body = [r for r in runs if r[1] == "仿宋_GB2312" and r[2] == 32]  # 三号 = 16 pt
    assert body, "no 三号 仿宋 text"
    assert all(size in (24, 28, 32, 36, 44) for _, _, size in runs if size)  # 小四 … 二号


def test_body_paragraphs_sit_on_the_22_line_grid():
    root = _body("04")
    spacings = {
        p.find(f"{W}pPr/{W}spacing").get(f"{W}line")
        for p in root.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}spacing") is not None
        and p.find(f"{W}pPr/{W}spacing").get(f"{W}lineRule") == "exact"
    }
    assert spacings == {"579"}  # 28.95 pt: 22 lines in the 225 mm type area
    section = root.find(f"{W}body/{W}sectPr")
    margins = section.find(f"{W}pgMar")
    top, bottom = int(margins.get(f"{W}top")), int(margins.get(f"{W}bottom"))
    type_area = (int(section.find(f"{W}pgSz").get(f"{W}h")) - top - bottom) / 20
    assert 22 * 28.95 <= type_area < 23 * 28.95


@pytest.mark.parametrize("code", CODES)
def test_rows_may_split_and_only_header_rows_repeat(code):
    root = _body(code)
    for row in root.iter(f"{W}tr"):
        header = row.find(f"{W}trPr/{W}tblHeader") is not None
        cant_split = row.find(f"{W}trPr/{W}cantSplit")
        if cant_split is None or header:
            assert (cant_split is not None) == header
        else:  # an approval opinion: kept whole only while it is short enough to fit a page
            assert "length > 600" in cant_split.get(f"{W}val"), "a tall row would be clipped"
