"""Every template at the limits, through the real LibreOffice: nothing lost, nothing orphaned.

Set ``ANJUAN_STRESS_PDF_DIR`` to keep the PDFs (to look at them as PNG pages).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from doc_templates import all_templates, get_template, render_docx
from doc_templates.samples import sample_context, sample_data

from .conftest import Texts, docx_text, stress_context, stress_data

pytestmark = pytest.mark.slow

CODES = [t.code for t in all_templates()]
# The type area of an A4 page in points (37 mm top margin, 35 mm bottom): header, footer,
# page number and the 逐页签名 line lie outside it.
BODY_TOP, BODY_HEIGHT = 104, 640
_CLOSING = re.compile(
    r"签名：|（印章）|^年月日$|^\d{4}年\d{1,2}月\d{1,2}日$|签收时间|审核日期|拒绝签"
    r"|^(承办人|审核人|法制科负责人|受送达人|送达人|见证人|被约谈方|约谈人|记录人|台账责任人|验收人员"
    r"|接受回访人|回访人|申请人|承办人|参加人员|邀请参加人员|调解人员|签名人)[（：]"
)


@dataclass(frozen=True)
class Rendered:
    """One stress render: its values in document order, DOCX text, PDF and page texts."""

    code: str
    agency: str
    values: list[str]
    docx: str
    pdf: bytes
    pages: list[str]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_texts(pdf: Path, count: int) -> list[str]:
    pages = []
    for number in range(1, count + 1):
        pages.append(
            subprocess.run(
                [
                    *("pdftotext", "-layout", "-f", str(number), "-l", str(number), "-x", "0"),
                    *("-y", str(BODY_TOP), "-W", "595", "-H", str(BODY_HEIGHT), str(pdf), "-"),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    return pages


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def rendered(converter, tmp_path_factory) -> dict[str, Rendered]:
    """Every template rendered with stress data and converted by the warm LibreOffice pool."""
    keep = os.environ.get("ANJUAN_STRESS_PDF_DIR")
    out = Path(keep) if keep else tmp_path_factory.mktemp("stress")
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    for code in CODES:
        texts = Texts(f"Q{code}")
        ctx = stress_context(code, texts)
        template = get_template(code)
        data = template.model.model_validate(stress_data(code, texts))
        docx = render_docx(template, ctx, data)
        pdf = converter.convert(docx)
        path = out / f"stress-{code}.pdf"
        path.write_bytes(pdf)
        text = "".join(docx_text(docx))
        context_texts = texts.made[:4]  # party name, representative, address, cause
        values = [v for v in texts.made if v not in context_texts or v in text]
        values.sort(key=lambda v: text.find(v))
        results[code] = Rendered(
            code, ctx.agency_name, values, text, pdf, _page_texts(path, _page_count(path))
        )
    return results


@pytest.mark.parametrize("code", CODES)
def test_every_value_is_in_the_docx_and_in_the_pdf_in_order(rendered, code):
    result = rendered[code]
    assert len(result.values) > 8, "the stress data made too few values"
    assert not [i for i, v in enumerate(result.values) if v not in result.docx]
    pdf_text = "".join(result.pages)
    previous = -1
    for index, value in enumerate(result.values):
        alphabet = Texts.alphabet(value)
        kept = "".join(char for char in pdf_text if char in alphabet)
        times = result.docx.count(value)  # a party may be named in a table and a sentence
        assert kept == value * times, f"value {index} of {code} is not whole in the PDF"
        first = next(i for i, char in enumerate(pdf_text) if char in alphabet)
        assert first > previous, f"value {index} of {code} comes before the one it follows"
        previous = first


@pytest.mark.parametrize("code", CODES)
def test_no_page_holds_only_a_signature_a_seal_or_a_date(rendered, code):
    result = rendered[code]

    def closing(line: str) -> bool:
        squashed = _squash(line)
        return bool(_CLOSING.search(squashed)) or squashed == result.agency

    pages = [[line for line in page.splitlines() if line.strip()] for page in result.pages]
    for number, lines in enumerate(pages, start=1):
        assert lines, f"page {number} of {code} is empty"
        assert not all(closing(line) for line in lines), (
            f"page {number} of {code} holds only {lines}"
        )
    # the closing block at the end is whole on the last page, after some body lines
    *_, last = pages
    trailing = 0
    while trailing < len(last) and closing(last[-1 - trailing]):
        trailing += 1
    assert 0 < trailing < len(last), last


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_embeds_only_simplified_chinese_faces(rendered, code, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(rendered[code].pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("CJKsc" in name for name in names), names


def test_a_table_running_onto_the_next_page_repeats_its_header_row(rendered):
    pages = rendered["08"].pages
    with_header = [i for i, page in enumerate(pages) if re.search(r"整改事项\s+整改依据", page)]
    assert len(with_header) > 2, with_header


def test_a_newline_in_a_field_stretches_no_line(converter, tmp_path):
    template = get_template("01")
    facts = "现场检查发现三处问题。\n其一，店外占道经营；其二，冷藏温度不达标；其三，灭火器过期。"
    data = template.model.model_validate(sample_data("01") | {"facts": facts})
    path = tmp_path / "01.pdf"
    path.write_bytes(converter.convert(render_docx(template, sample_context("01"), data)))
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for line in re.findall(r"<line (.*?)</line>", html, flags=re.S):
        if "".join(re.findall(r">([^<]+)</word>", line)) == "现场检查发现三处问题。":
            x_min, x_max = (float(v) for v in re.findall(r'x(?:Min|Max)="([\d.]+)"', line)[:2])
            # 13 characters of 16 pt after a two-character indent, not spread over 28
            assert x_max - x_min < 12 * 16, (x_min, x_max)
            return
    pytest.fail("the first paragraph of the facts is not a line of its own")
