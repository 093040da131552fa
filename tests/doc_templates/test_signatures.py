"""Everyone who signs has a line of their own, with the printed name beside it, never in it."""

from __future__ import annotations

import io
import re
import subprocess
from typing import Any

import docx
import pytest
from docx.shared import Pt

from doc_templates import get_template, render_docx
from doc_templates.samples import sample_context, sample_data

from .conftest import docx_text

SIGN = re.compile(r"^(?P<who>[^\t]+)\t签名：(?P<line>＿+)\t(?P<date>.*)$")


def _render(code: str, data: dict[str, Any] | None = None) -> bytes:
    template = get_template(code)
    model = template.model.model_validate(data if data is not None else sample_data(code))
    return render_docx(template, sample_context(code), model)


def _signers(code: str, data: dict[str, Any] | None = None) -> list[str]:
    """The "who" part of every signature line, in order."""
    found = []
    for line in docx_text(_render(code, data)):
        match = SIGN.match(line)
        if match:
            assert match["line"] == "＿＿＿＿＿", line  # the line itself stays blank
            found.append(match["who"])
    return found


def test_clue_report_is_signed_by_each_of_the_two_officers():
    officers = sample_data("01")["officers"]
    assert _signers("01") == [f"承办人：{o['name']}" for o in officers]


def test_legal_review_is_signed_by_each_reviewer_and_the_head_of_the_legal_section():
    data = sample_data("03")
    assert _signers("03") == [
        *(f"审核人：{r['name']}" for r in data["reviewers"]),
        f"法制科负责人：{data['legal_head']}",
    ]
    del data["legal_head"]  # unknown: the line is there, no name beside it
    assert _signers("03", data)[-1] == "法制科负责人："


def test_each_inspector_signs_the_acceptance_opinion():
    inspectors = sample_data("10")["inspectors"]
    assert _signers("10") == [f"验收人员：{i['name']}" for i in inspectors]


def test_service_proof_leaves_the_recipients_line_blank_with_the_name_beside():
    data = sample_data("05")
    lines = docx_text(_render("05", data))
    assert f"受送达人：{data['recipient']}\t签名：＿＿＿＿＿\t" in lines
    assert data["receipt"]["name"] not in "".join(lines)  # never printed in the signature
    assert _signers("05", data) == [
        f"受送达人：{data['recipient']}",
        *(f"送达人：{s['name']}" for s in data["servers"]),
        "见证人：（身份：　　　）",  # blank lines for witnesses, should the party refuse
        "见证人：（身份：　　　）",
    ]


def test_a_refused_service_names_each_witness_with_their_role():
    data = sample_data("05") | {
        "refused": True,
        "receipt": None,
        "refusal_note": "受送达人拒绝签收，已将文书留置于其经营场所。",
        "witnesses": [
            {"name": "钱某", "role": "社区工作人员"},
            {"name": "孙某", "role": "物业管理人员"},
        ],
    }
    lines = docx_text(_render("05", data))
    assert "受送达人拒绝签收。受送达人拒绝签收，已将文书留置于其经营场所。" in lines
    assert _signers("05", data)[-2:] == [
        "见证人：钱某（社区工作人员）",
        "见证人：孙某（物业管理人员）",
    ]
    assert "签收时间：　　年　　月　　日　　时　　分" in lines


def test_interview_record_is_signed_by_the_party_each_interviewer_and_the_recorder():
    data = sample_data("07")
    assert _signers("07") == [
        *(f"被约谈方：{a['name']}" for a in data["attendees"]),
        *(f"约谈人：{o['name']}" for o in data["interviewers"]),
        f"记录人：{data['recorder']}",
    ]


def test_a_refusal_to_sign_the_record_is_noted_and_each_witness_signs():
    data = sample_data("07") | {
        "refused_to_sign": True,
        "refusal_witnesses": [
            {"name": "钱某", "role": "社区工作人员"},
            {"name": "孙某", "role": "物业管理人员"},
        ],
    }
    assert "被约谈方拒绝签名，由下列见证人在场见证。" in docx_text(_render("07", data))
    assert _signers("07", data)[:2] == [
        "见证人：钱某（社区工作人员）",
        "见证人：孙某（物业管理人员）",
    ]
    assert not [s for s in _signers("07", data) if s.startswith("被约谈方")]


@pytest.mark.parametrize("given", [True, False])
def test_each_approval_opinion_leaves_three_lines_to_write_by_hand(given):
    data = sample_data("02")
    if not given:  # printed before anyone has signed
        for key in ("section_opinion", "legal_opinion", "leader_opinion"):
            data[key] = {}
    document = docx.Document(io.BytesIO(_render("02", data)))
    cells = [row.cells[1] for row in document.tables[0].rows[8:11]]
    for key, cell in zip(
        ("section_opinion", "legal_opinion", "leader_opinion"), cells, strict=True
    ):
        texts = [p.text for p in cell.paragraphs]
        sign = next(i for i, text in enumerate(texts) if text.startswith("签名：＿"))
        blank = cell.paragraphs[sign - 3 : sign]
        assert [p.text for p in blank] == ["", "", ""], texts
        assert all(p.paragraph_format.line_spacing >= Pt(28) for p in blank)
        opinion = data[key]
        if given:
            assert texts[0] == opinion["opinion"]
            assert f"（{opinion['signer']}）" in texts[sign]
        else:
            assert sign == 3 and texts[sign].endswith("\t　　年　月　日")


@pytest.mark.slow
def test_every_page_of_a_long_record_has_the_party_initials_line(converter, tmp_path):
    data = sample_data("07") | {"party_statement": "当事人陈述：" + "情况属实，愿意整改。" * 300}
    path = tmp_path / "07.pdf"
    path.write_bytes(converter.convert(_render("07", data)))
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pages_text = pages.split("\f")[:-1]
    assert len(pages_text) > 2
    assert all("被约谈方逐页签名：" in page for page in pages_text)


@pytest.mark.slow
def test_the_seal_date_is_right_spaced_four_characters_and_centred_under_the_agency(
    converter, tmp_path
):
    path = tmp_path / "04.pdf"
    path.write_bytes(converter.convert(_render("04")))
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    lines = {}
    for line in re.findall(r"<line (.*?)</line>", html, flags=re.S):
        x_min, x_max = (float(v) for v in re.findall(r'x(?:Min|Max)="([\d.]+)"', line)[:2])
        lines["".join(re.findall(r">([^<]+)</word>", line))] = (x_min, x_max)
    agency = lines[sample_context("04").agency_name]
    date = lines["2026年11月22日"]
    seal = lines["（印章）"]
    centre = (date[0] + date[1]) / 2
    assert abs((agency[0] + agency[1]) / 2 - centre) < 2
    assert abs((seal[0] + seal[1]) / 2 - centre) < 2
    right_margin = 595.3 - 26 / 25.4 * 72
    assert 3.5 * 16 < right_margin - date[1] < 4.5 * 16  # 右空四字
