"""Issuing documents over HTTP: 文号, QR verification, idempotency, errors, no partial writes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import docx
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from archive.embedded_s3 import S3Endpoint
from archive.storage import ObjectStore
from doc_templates import all_templates
from doc_templates.samples import sample_data
from service.auth.models import Role
from service.runtime import Runtime
from tests.service.flow import CLUE_ON, ISSUED_ON, PASSED, PENALTY, flow_data, run_flow
from tests.service.flow import issue as flow_issue
from tests.service.watch import RequestWatch

PARTY = {
    "name": "中村市某某餐饮管理有限公司",
    "kind": "enterprise",
    "id_code": "91330100MA2H7Q1X3K",
    "representative": "王某某",
    "address": "中村市南湖区湖滨路18号",
    "phone": "0573-82000000",
}
CASE = {
    "party": PARTY,
    "cause": "后厨环境卫生不符合食品安全标准，多次被投诉",
    "major": True,
    "clue_received_on": CLUE_ON,
}
YEAR = 2026  # the documents' year: their 成文日期 on the sample timeline


def open_case(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    r = client.post("/api/v1/cases", json=CASE, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def issue(
    client: TestClient,
    headers: dict[str, str],
    case_id: int,
    template: str,
    data: dict[str, Any] | None = None,
    **kw: Any,
):
    body = {"template": template, "data": data if data is not None else sample_data(template)}
    return client.post(f"/api/v1/cases/{case_id}/documents", json=body, headers=headers, **kw)


def docx_text(content: bytes) -> str:
    """All text of a DOCX as python-docx sees it: body, tables, headers and footers."""
    d = docx.Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in d.sections:
        for hf in (section.header, section.footer):
            parts.extend(p.text for p in hf.paragraphs)
            for table in hf.tables:
                for row in table.rows:
                    parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def qr_payload(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        image = Image.open(io.BytesIO(z.read("word/media/qr.png")))
    [code] = zxingcpp.read_barcodes(image)
    return code.text


def test_issuing_a_notice_allocates_its_doc_no(client: TestClient, clerk) -> None:
    case = open_case(client, clerk)
    ids = run_flow(client, clerk, case["id"], ["01", "02", "03", "04"])
    doc = client.get(f"/api/v1/documents/{ids['04']}", headers=clerk).json()
    assert doc["doc_no"] == f"中村约通〔{YEAR}〕1号"
    assert doc["case_id"] == case["id"] and doc["template"] == "04"
    assert doc["version"] == next(t.version for t in all_templates() if t.code == "04")
    assert doc["verify_url"].startswith("http://testserver/api/v1/verify/")
    assert doc["issued_on"] == ISSUED_ON["04"]
    second = flow_issue(client, clerk, case["id"], "04", ids)
    assert second["doc_no"] == f"中村约通〔{YEAR}〕2号"
    # 文号 sequences are per template
    assert flow_issue(client, clerk, case["id"], "05", ids)["doc_no"] == f"中村约送〔{YEAR}〕1号"


@pytest.mark.parametrize("code", [f"{n:02d}" for n in range(1, 13)])
def test_every_template_issues_a_filled_verifiable_docx(
    client: TestClient, clerk, code: str
) -> None:
    case = open_case(client, clerk)
    path = PENALTY if code == "12" else PASSED
    flow = path[: path.index(code)] if code in path else ["01", "02", "03", "04"]
    ids = run_flow(client, clerk, case["id"], flow, failing=code == "12")
    doc = flow_issue(client, clerk, case["id"], code, ids)

    dl = client.get(f"/api/v1/documents/{doc['id']}/docx", headers=clerk)
    assert dl.status_code == 200
    assert dl.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "filename*=UTF-8''" in dl.headers["content-disposition"]
    content = dl.content
    assert hashlib.sha256(content).hexdigest() == doc["sha256"]

    text = docx_text(content)
    for value in (PARTY["name"], case["case_no"], doc["doc_no"], "中村市综合行政执法局"):
        assert value in text, f"{value!r} missing from template {code}"

    url = qr_payload(content)
    assert url == doc["verify_url"]
    token = url.rsplit("/", 1)[1]
    v = client.get(f"/api/v1/verify/{token}")
    assert v.status_code == 200
    info = v.json()
    assert info["sha256"] == hashlib.sha256(content).hexdigest()
    assert (info["doc_no"], info["case_no"], info["template"]) == (
        doc["doc_no"],
        case["case_no"],
        code,
    )
    assert info["status"] == "valid"


def test_a_retry_with_the_same_idempotency_key_returns_the_same_document(
    client: TestClient, clerk
) -> None:
    case = open_case(client, clerk)
    h = {**clerk, "Idempotency-Key": "req-42"}
    first = issue(client, h, case["id"], "01")
    again = issue(client, h, case["id"], "01")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    fresh = issue(client, clerk, case["id"], "01").json()
    assert fresh["doc_no"] == f"中村约核〔{YEAR}〕2号"


def test_the_same_idempotency_key_with_another_body_is_a_conflict(
    client: TestClient, clerk
) -> None:
    case = open_case(client, clerk)
    h = {**clerk, "Idempotency-Key": "req-43"}
    assert issue(client, h, case["id"], "01").status_code == 201
    other = issue(client, h, case["id"], "06")
    assert other.status_code == 409
    assert other.json()["error"] == "idempotency_key_reused"


def test_bad_data_names_each_field_with_its_label_and_consumes_no_number(
    client: TestClient, clerk
) -> None:
    case = open_case(client, clerk)
    data = sample_data("01")
    data.pop(next(iter(data)))  # drop a required field
    r = issue(client, clerk, case["id"], "01", data)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "validation_error"
    for p in body["detail"]:
        assert p["field"].startswith("data.")
        assert p["label"] and p["message"]
    ok = issue(client, clerk, case["id"], "01")
    assert ok.json()["doc_no"] == f"中村约核〔{YEAR}〕1号"


def test_a_nested_bad_field_has_a_dotted_indexed_path(client: TestClient, clerk) -> None:
    case = open_case(client, clerk)
    ids = run_flow(client, clerk, case["id"], ["01", "02", "03", "04", "05", "07"])
    data = flow_data("08", ids)  # 08 is the next step: only its data can be wrong
    list_field = next(
        k for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    )
    item = data[list_field][0]
    date_key = next(
        k for k, v in item.items() if isinstance(v, str) and v[:4].isdigit() and "-" in v
    )
    item[date_key] = "not a date"
    r = issue(client, clerk, case["id"], "08", data)
    assert r.status_code == 422
    fields = [p["field"] for p in r.json()["detail"]]
    assert f"data.{list_field}[0].{date_key}" in fields


def test_unknown_template_is_404(client: TestClient, clerk) -> None:
    case = open_case(client, clerk)
    r = issue(client, clerk, case["id"], "13", {})
    assert r.status_code == 404
    assert r.json()["error"] == "unknown_template"


def test_malformed_json_is_400(client: TestClient, clerk) -> None:
    case = open_case(client, clerk)
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        content=b"{not json",
        headers={**clerk, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"] == "malformed_json"


def test_a_body_over_the_limit_is_413(client: TestClient, clerk) -> None:
    case = open_case(client, clerk)
    data = sample_data("04")
    data["padding"] = "约" * 200_000
    r = issue(client, clerk, case["id"], "04", data)
    assert r.status_code == 413
    assert r.json()["error"] == "payload_too_large"


def test_a_render_failure_consumes_no_number(
    client: TestClient, clerk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.documents.service as docs

    case = open_case(client, clerk)

    def broken(*_a: Any, **_k: Any) -> bytes:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(docs, "render_docx", broken)
    r = issue(client, clerk, case["id"], "01")
    assert r.status_code == 500 and r.json()["error"] == "render_failed"
    monkeypatch.undo()
    assert issue(client, clerk, case["id"], "01").json()["doc_no"] == f"中村约核〔{YEAR}〕1号"


def test_storage_down_gives_503_and_consumes_no_number(
    client: TestClient, clerk, runtime: Runtime, s3_endpoint: S3Endpoint
) -> None:
    case = open_case(client, clerk)
    live = runtime.documents
    dead = S3Endpoint(
        endpoint="127.0.0.1:9", access_key=s3_endpoint.access_key, secret_key=s3_endpoint.secret_key
    )
    runtime.documents = ObjectStore(dead, live.bucket)
    try:
        r = issue(client, clerk, case["id"], "01")
    finally:
        runtime.documents = live
    assert r.status_code == 503 and r.json()["error"] == "service_unavailable"
    assert issue(client, clerk, case["id"], "01").json()["doc_no"] == f"中村约核〔{YEAR}〕1号"
    listed = client.get(f"/api/v1/cases/{case['id']}/documents", headers=clerk).json()
    assert len(listed) == 1


def test_a_system_with_an_api_key_issues_documents(client: TestClient, key_headers) -> None:
    system = key_headers(Role.system)
    case = open_case(client, system)
    assert issue(client, system, case["id"], "01").status_code == 201


def test_a_leader_may_read_but_not_issue(client: TestClient, clerk, user_headers) -> None:
    case = open_case(client, clerk)
    leader = user_headers(Role.leader)
    assert issue(client, leader, case["id"], "01").status_code == 403
    doc = issue(client, clerk, case["id"], "01").json()
    assert client.get(f"/api/v1/documents/{doc['id']}", headers=leader).status_code == 200


def test_a_docx_is_read_from_the_store_with_no_write_lock_and_audited_before_its_first_byte(
    client: TestClient, clerk, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_case(client, clerk)
    doc = flow_issue(client, clerk, case["id"], "01", {})
    watch = RequestWatch(runtime, monkeypatch, runtime.documents)

    r = watch.client(client.app).get(f"/api/v1/documents/{doc['id']}/docx", headers=clerk)

    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == doc["sha256"]
    assert r.headers["content-length"] == str(len(r.content))
    assert watch.store_reads == ["stat", "stream"]
    assert watch.writer_waited == []  # another writer committed during each read, and mid-body
    assert watch.audit_at_first_byte == ["document.download"]
