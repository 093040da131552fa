"""Batches: each item's outcome reported; the ZIP holds exactly the good ones."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.auth.models import Role
from service.runtime import Runtime
from tests.service.watch import RequestWatch

CASE = {
    "party": {"name": "批量测试有限公司", "kind": "enterprise"},
    "cause": "批量出具文书",
    "clue_received_on": "2026-09-01",
}


def _wait(client: TestClient, headers: dict[str, str], batch_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/batches/{batch_id}", headers=headers).json()
        if body["finished"]:
            return body
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish: {body}")


def test_a_mixed_batch_reports_each_item_and_zips_the_good_ones(
    client: TestClient, key_headers
) -> None:
    system = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=CASE, headers=system).json()
    bad_data = sample_data("01")
    del bad_data["facts"]
    items = [
        {"case_id": case["id"], "template": "01", "data": sample_data("01")},
        {"case_id": case["id"], "template": "01", "data": bad_data},
        {"case_id": case["id"], "template": "99", "data": {}},
        {"case_id": 999999, "template": "01", "data": sample_data("01")},
        {"case_id": case["id"], "template": "06", "data": sample_data("06")},
    ]
    r = client.post("/api/v1/batches", json={"items": items}, headers=system)
    assert r.status_code == 202, r.text
    body = _wait(client, system, r.json()["id"])
    assert (body["total"], body["done"], body["failed"]) == (5, 2, 3)
    outcome = {i["index"]: i for i in body["items"]}
    assert outcome[0]["status"] == "done" and outcome[0]["document"]["doc_no"]
    assert outcome[1]["error"]["error"] == "validation_error"
    assert outcome[1]["error"]["detail"][0]["field"] == "data.facts"
    assert outcome[2]["error"]["error"] == "unknown_template"
    assert outcome[3]["error"]["error"] == "not_found"
    # failed items consumed no number: the two good 文号 are each template's first
    assert outcome[0]["document"]["doc_no"].endswith("〕1号")
    assert outcome[4]["document"]["doc_no"].endswith("〕1号")

    z = client.get(f"/api/v1/batches/{body['id']}/zip", headers=system)
    assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(z.content)).namelist())
    assert names == [
        f"0000-01-{outcome[0]['document']['doc_no']}.docx",
        f"0004-06-{outcome[4]['document']['doc_no']}.docx",
    ]


def test_a_pdf_batch_zips_docx_and_pdf(client: TestClient, clerk) -> None:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    items = [{"case_id": case["id"], "template": "01", "data": sample_data("01")}]
    r = client.post("/api/v1/batches", json={"items": items, "format": "pdf"}, headers=clerk)
    body = _wait(client, clerk, r.json()["id"])
    assert body["done"] == 1 and body["items"][0]["document"]["pdf_sha256"]
    names = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/v1/batches/{body['id']}/zip", headers=clerk).content)
    ).namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "pdf"]


def test_a_batch_is_visible_only_to_its_client(client: TestClient, clerk, key_headers) -> None:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    items = [{"case_id": case["id"], "template": "01", "data": sample_data("01")}]
    batch = client.post("/api/v1/batches", json={"items": items}, headers=clerk).json()
    other = key_headers(Role.system)
    assert client.get(f"/api/v1/batches/{batch['id']}", headers=other).status_code == 404


def test_more_than_1000_items_are_refused(client: TestClient, clerk) -> None:
    item = {"case_id": 1, "template": "01", "data": {}}
    r = client.post("/api/v1/batches", json={"items": [item] * 1001}, headers=clerk)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "items"


def test_a_batch_zip_reads_the_store_with_no_write_lock_and_is_audited_before_its_first_byte(
    client: TestClient, clerk, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = client.post("/api/v1/cases", json=CASE, headers=clerk).json()
    items = [{"case_id": case["id"], "template": "01", "data": sample_data("01")}] * 2
    r = client.post("/api/v1/batches", json={"items": items}, headers=clerk)
    body = _wait(client, clerk, r.json()["id"])
    assert body["done"] == 2
    watch = RequestWatch(runtime, monkeypatch, runtime.documents)

    z = watch.client(client.app).get(f"/api/v1/batches/{body['id']}/zip", headers=clerk)

    assert z.status_code == 200 and len(zipfile.ZipFile(io.BytesIO(z.content)).namelist()) == 2
    assert watch.store_reads == ["get", "get"]
    assert watch.writer_waited == []  # another writer committed during each read, and mid-body
    assert watch.audit_at_first_byte == ["batch.download"]
