"""The public verification page: a proper page for a citizen's phone, JSON for API clients."""

from __future__ import annotations

from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.verify.tokens import make_token, new_verify_id
from tests.service.flow import case_body

HTML = {"Accept": "text/html,application/xhtml+xml"}


def _issued(client: TestClient, clerk: dict[str, str]) -> dict:
    case = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_browser_gets_a_page_saying_who_issued_what_and_what_to_do(
    client: TestClient, clerk: dict[str, str]
) -> None:
    doc = _issued(client, clerk)
    path = "/api/v1/verify/" + doc["verify_url"].rsplit("/", 1)[1]
    page = client.get(path, headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert doc["doc_no"] in text and "中村市综合行政执法局" in text and "约谈线索核实报告" in text
    assert '<p class="verdict ok" id="verdict">有效</p>' in text
    assert "2026年9月" in text and "如果不一致" in text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "<style>" not in text and "<script" not in text
    assert client.get(path).json()["doc_no"] == doc["doc_no"]  # JSON stays the default


def test_a_code_never_issued_gets_a_page_too(client: TestClient) -> None:
    token = make_token(client.app.state.runtime.settings.secret, new_verify_id())
    page = client.get(f"/api/v1/verify/{token}", headers=HTML)
    assert page.status_code == 404 and "查无此文书" in page.text
    assert client.get(f"/api/v1/verify/{token}").json()["error"] == "not_found"
