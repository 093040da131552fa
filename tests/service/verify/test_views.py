"""Public verification: JSON or HTML, and the same 404 for tampered and unknown tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.verify.tokens import make_token, new_verify_id

CASE = {
    "party": {"name": "某某超市", "kind": "individual_business"},
    "cause": "销售过期食品",
    "clue_received_on": "2026-09-01",
}


def _issued(client: TestClient, clerk: dict[str, str]) -> dict:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        json={"template": "01", "data": sample_data("01")},
        headers=clerk,
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_verify_needs_no_login_and_reports_the_document(client: TestClient, clerk) -> None:
    doc = _issued(client, clerk)
    token = doc["verify_url"].rsplit("/", 1)[1]
    r = client.get(f"/api/v1/verify/{token}")
    assert r.status_code == 200
    body = r.json()
    assert body["agency"] == "中村市综合行政执法局"
    assert body["template_name"] == "约谈线索核实报告"
    assert body["sha256"] == doc["sha256"]
    assert body["status"] == "valid"
    assert set(body) >= {"case_no", "doc_no", "template", "issued_at", "pdf_sha256"}


def test_browsers_get_an_html_page(client: TestClient, clerk) -> None:
    doc = _issued(client, clerk)
    token = doc["verify_url"].rsplit("/", 1)[1]
    r = client.get(f"/api/v1/verify/{token}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert doc["doc_no"] in r.text and "有效" in r.text


def test_tampered_and_unknown_tokens_get_the_same_404(client: TestClient, clerk) -> None:
    doc = _issued(client, clerk)
    token = doc["verify_url"].rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    unknown = make_token(client.app.state.runtime.settings.secret, new_verify_id())
    a = client.get(f"/api/v1/verify/{tampered}")
    b = client.get(f"/api/v1/verify/{unknown}")
    assert a.status_code == b.status_code == 404
    # the same answer but for the request id, which is the request's own
    assert {**a.json(), "request_id": None} == {**b.json(), "request_id": None}
