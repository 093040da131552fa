"""PDF downloads: every template as PDF/A-2b, the party as text, CJK fonts embedded."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from doc_templates.samples import sample_data
from tests.service.flow import PENALTY, run_flow
from tests.service.flow import issue as flow_issue

PARTY = {"name": "中村市南湖区某某便利店", "kind": "individual_business", "representative": "陈某"}
CASE = {"party": PARTY, "cause": "销售超过保质期的食品", "clue_received_on": "2026-09-01"}


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) per font, as ``pdffonts`` reports them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    return [(r.split()[0], " yes " in r[r.index(" ") :]) for r in rows if r.strip()]


@pytest.mark.slow
def test_every_template_downloads_as_a_pdf_with_the_party_as_text(
    client: TestClient, clerk: dict[str, str], database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PDF conversion does not depend on the database")
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    ids = run_flow(client, clerk, case["id"], [*PENALTY[:-1], "06"], failing=True)
    ids["12"] = flow_issue(client, clerk, case["id"], "12", ids)["id"]
    for n in range(1, 13):
        code = f"{n:02d}"
        if code == "11":
            continue  # a failing case has no acceptance certificate; 11 is a 10's twin
        doc = client.get(f"/api/v1/documents/{ids[code]}", headers=clerk).json()
        r = client.get(f"/api/v1/documents/{doc['id']}/pdf", headers=clerk)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/pdf"
        assert ".pdf" in r.headers["content-disposition"]
        reader = PdfReader(io.BytesIO(r.content))
        assert len(reader.pages) >= 1
        text = "".join(page.extract_text() for page in reader.pages)
        assert PARTY["name"] in text.replace(" ", ""), f"party missing from {code}"
        fonts = embedded_fonts(r.content)
        assert any("CJK" in name for name, _ in fonts), fonts
        assert all(emb for _, emb in fonts), fonts
        # the PDF is made once: the verify record and a second download agree
        token = doc["verify_url"].rsplit("/", 1)[1]
        info = client.get(f"/api/v1/verify/{token}").json()
        assert info["pdf_sha256"] == hashlib.sha256(r.content).hexdigest()
        again = client.get(f"/api/v1/documents/{doc['id']}/pdf", headers=clerk)
        assert again.content == r.content


def test_the_pdf_declares_pdf_a_2b(client: TestClient, clerk: dict[str, str]) -> None:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    doc = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    ).json()
    pdf = client.get(f"/api/v1/documents/{doc['id']}/pdf", headers=clerk).content
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8", "replace")
    assert "pdfaid:part>2<" in raw.replace('"', "<").replace("=<", ">") or 'pdfaid:part="2"' in raw
