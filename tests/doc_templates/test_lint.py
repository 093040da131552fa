from __future__ import annotations

import subprocess
import sys

import docx
import pytest
from pydantic import BaseModel

from doc_templates.catalogue import get_template
from doc_templates.fields import ClueReport
from doc_templates.lint import lint_all, lint_docx


def _docx(tmp_path, *paragraphs: list[str]):
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    path = tmp_path / "fixture.docx"
    document.save(path)
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


@pytest.mark.parametrize("ok", [True])
def test_cli_exits_zero_on_clean_catalogue(ok):
    result = subprocess.run(
        [sys.executable, "-m", "doc_templates.lint"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "0 findings" in result.stdout
