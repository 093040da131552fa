"""Specimens: marked 样本, no number consumed, nothing recorded."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient
from pypdf import PdfReader

from doc_templates.samples import sample_data

CASE = {
    "party": {"name": "样本测试有限公司", "kind": "enterprise"},
    "cause": "样本测试",
    "clue_received_on": "2026-09-01",
}


def _all_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))


def test_a_docx_specimen_is_marked_and_consumes_no_number(client: TestClient, clerk) -> None:
    r = client.post(
        "/api/v1/render",
        headers=clerk,
        json={
            "template": "07",
            "data": sample_data("07"),
            "format": "docx",
            "case": {k: v for k, v in CASE.items() if k != "clue_received_on"},
        },
    )
    assert r.status_code == 200, r.text
    assert r.headers["x-specimen"] == "true"
    xml = _all_xml(r.content)
    assert "样本" in xml and "样本测试有限公司" in xml
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    assert case["case_no"] == "中村约〔2026〕1号"  # the year of its clue
    doc = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    ).json()
    assert doc["doc_no"] == "中村约核〔2026〕1号"  # the year of its 成文日期


def test_a_pdf_specimen_carries_the_mark_as_text(client: TestClient, clerk) -> None:
    r = client.post(
        "/api/v1/render",
        headers=clerk,
        json={"template": "04", "data": sample_data("04"), "format": "pdf"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "样本" in text


def test_a_bad_specimen_payload_names_the_field(client: TestClient, clerk) -> None:
    data = sample_data("04")
    data["interviewers"] = data["interviewers"][:1]
    r = client.post("/api/v1/render", headers=clerk, json={"template": "04", "data": data})
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["field"] == "data.interviewers" and problem["label"]
