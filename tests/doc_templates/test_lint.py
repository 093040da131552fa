from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from pydantic import BaseModel

from doc_templates.catalogue import get_template
from doc_templates.fields import ClueReport
from doc_templates.lint import lint_all, lint_docx
from doc_templates.qr import qr_png


def _docx(tmp_path, *paragraphs: list[str], qr: bool = True, font: str | None = None):
    """A DOCX written by python-docx (not our generator), with a QR slot as Word would keep it:
    a picture whose media member is renamed ``word/media/qr.png``."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in runs:
            run = paragraph.add_run(text)
            if font is not None:
                run.font.name = font
                run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if qr:
        document.add_picture(io.BytesIO(qr_png("https://example.invalid/v/x")))
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "fixture.docx"
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            name = info.filename
            if name.startswith("word/media/image1."):
                name = "word/media/qr.png"
            elif name == "word/_rels/document.xml.rels":
                body = re.sub(rb"media/image1\.\w+", b"media/qr.png", body)
            zout.writestr(name, body)
    return path


class Small(BaseModel):
    facts: str
    note: str = ""


def test_the_twelve_templates_are_clean():
    assert lint_all() == {code: [] for code in lint_all()}


def test_tag_split_across_runs_is_found(tmp_path):
    path = _docx(tmp_path, ["{{ data.facts }}"], ["当事人：", "{{ party.", "name }}"])
    findings = lint_docx(path, Small)
    assert [f.kind for f in findings] == ["split-tag"]
    assert "party." in findings[0].detail


def test_unterminated_tag_is_found(tmp_path):
    path = _docx(tmp_path, ["{{ data.facts }}"], ["{{ party.name"])
    assert "split-tag" in {f.kind for f in lint_docx(path, Small)}


def test_unknown_variables_are_all_found(tmp_path):
    path = _docx(
        tmp_path,
        ["{{ data.facts }}", "{{ data.nonexistent }}"],
        ["{{ party.nickname }}", "{{ mystery }}"],
        ["{%p for e in data.facts_list %}"],
        ["{{ e.name }}"],
        ["{%p endfor %}"],
    )
    details = {f.detail for f in lint_docx(path, Small) if f.kind == "unknown-variable"}
    assert {"data.nonexistent", "party.nickname", "mystery", "data.facts_list"} <= details


def test_loop_variables_resolve_to_item_model(tmp_path):
    path = _docx(
        tmp_path,
        ["{%p for e in data.evidence %}"],
        ["{{ e.name }}", "{{ e.colour }}", "{{ loop.index }}"],
        ["{%p endfor %}"],
    )
    findings = lint_docx(path, ClueReport)
    unknown = [f.detail for f in findings if f.kind == "unknown-variable"]
    assert unknown == ["data.evidence.colour"]
    unused = {f.detail for f in findings if f.kind == "unused-field"}
    assert "data.evidence.kind" in unused and "data.facts" in unused
    assert "data.evidence.name" not in unused


def test_unused_required_field_is_found():
    template = get_template("01")

    class WithExtra(ClueReport):
        follow_up_plan: str

    findings = lint_docx(template.docx_path, WithExtra)
    assert [(f.kind, f.detail) for f in findings] == [("unused-field", "data.follow_up_plan")]


def test_a_docx_without_the_qr_slot_is_found(tmp_path):
    path = _docx(tmp_path, ["{{ data.facts }}"], qr=False)
    findings = lint_docx(path, Small)
    assert [(f.kind, f.part) for f in findings] == [("qr-slot", "word/media")]


def test_a_qr_image_no_page_shows_is_found(tmp_path):
    path = _docx(tmp_path, ["{{ data.facts }}"])
    with zipfile.ZipFile(path) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"media/qr.png", b"media/other.png"
    )
    unshown = tmp_path / "unshown.docx"
    with zipfile.ZipFile(unshown, "w") as zout:
        for name, body in members.items():
            zout.writestr(name, body)
    assert [f.kind for f in lint_docx(unshown, Small)] == ["qr-slot"]


def test_official_faces_pass_and_a_foreign_face_is_named(tmp_path):
    assert lint_docx(_docx(tmp_path, ["{{ data.facts }}"], font="仿宋_GB2312"), Small) == []
    findings = lint_docx(_docx(tmp_path, ["{{ data.facts }}"], font="华文彩云"), Small)
    assert [f.kind for f in findings] == ["font"]
    assert "华文彩云" in findings[0].detail and findings[0].part == "word/document.xml"


def test_a_file_that_is_not_a_docx_is_one_finding(tmp_path):
    findings = lint_docx(b"%PDF-1.7 not a word file", Small)
    assert [f.kind for f in findings] == ["docx"]


@pytest.mark.parametrize("ok", [True])
def test_cli_exits_zero_on_clean_catalogue(ok):
    result = subprocess.run(
        [sys.executable, "-m", "doc_templates.lint"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "0 findings" in result.stdout
