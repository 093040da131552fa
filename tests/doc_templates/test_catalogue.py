from __future__ import annotations

import dataclasses
import shutil

import pytest

from doc_templates import UnknownTemplate, all_templates, get_template
from doc_templates.fields import ClueReport

EXPECTED = {
    "01": ("约谈线索核实报告", "initiation"),
    "02": ("行政约谈审批表", "initiation"),
    "03": ("法制审核意见书", "initiation"),
    "04": ("行政约谈通知书", "implementation"),
    "05": ("送达回证", "implementation"),
    "06": ("约谈提纲", "implementation"),
    "07": ("行政约谈记录", "implementation"),
    "08": ("整改通知书", "result"),
    "09": ("整改跟踪台账", "result"),
    "10": ("整改验收意见书", "result"),
    "11": ("整改验收合格书", "result"),
    "12": ("行政处罚事先告知书", "result"),
    "G01": ("行政指导建议书", "implementation"),
    "G02": ("行政指导回访记录", "result"),
    "M01": ("调解申请登记表", "initiation"),
    "M02": ("调解笔录", "implementation"),
    "M03": ("调解协议书", "result"),
}
PACK_OF = {"G": "guidance", "M": "mediation"}


def test_catalogue_has_the_twelve_then_the_packs_in_code_order():
    templates = all_templates()
    assert [t.code for t in templates] == list(EXPECTED)
    for t in templates:
        assert (t.name, t.category) == EXPECTED[t.code]
        assert t.docx_path.is_file()
        assert t.pack == PACK_OF.get(t.code[0], "interview")


def test_every_pack_requires_only_its_own_templates_and_numbers_with_its_own_word():
    from doc_templates.packs import PACKS

    assert [p.number_code for p in PACKS.values()] == ["约", "导", "调"]
    for pack in PACKS.values():
        for codes in pack.requirements.values():
            assert all(get_template(c).pack == pack.code for c in codes), pack.code
    assert PACKS["guidance"].dossier_title == "行政指导案件档案"
    assert PACKS["mediation"].dossier_title == "行政调解案件档案"


def test_unknown_code_raises():
    with pytest.raises(UnknownTemplate) as info:
        get_template("13")
    assert isinstance(info.value, LookupError)
    assert "13" in str(info.value)


def test_json_schema_is_chinese():
    schema = get_template("07").json_schema()
    assert schema["title"] == "行政约谈记录"
    assert schema["properties"]["period_days"]["maximum"] == 30
    assert schema["properties"]["items"]["title"] == "整改事项"


def test_version_is_stable_sha256():
    t = get_template("01")
    assert len(t.version) == 64
    assert t.version == dataclasses.replace(t).version


def test_version_changes_with_docx_bytes(tmp_path):
    t = get_template("01")
    copy = tmp_path / "01.docx"
    shutil.copy(t.docx_path, copy)
    with copy.open("ab") as fh:
        fh.write(b"\0")
    assert dataclasses.replace(t, docx_path=copy).version != t.version


def test_version_changes_with_schema():
    t = get_template("01")

    class Changed(ClueReport):
        extra_note: str = ""

    assert dataclasses.replace(t, model=Changed).version != t.version


@pytest.mark.parametrize("code", list(EXPECTED))
def test_committed_docx_matches_the_build_script(code):
    from doc_templates.authoring.build import build_template

    assert build_template(code) == get_template(code).docx_path.read_bytes()
