"""Input that would corrupt a document is refused where it enters, naming the field — on the
API, in batches and in search — and never costs a number."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.app import create_app
from service.auth.models import Role
from service.config import Settings
from tests.service.flow import ISSUED_ON, case_body, flow_data, issue, run_flow

CASE = {
    "party": {"name": "输入安全有限公司", "kind": "enterprise"},
    "cause": "输入校验",
    "clue_received_on": "2026-09-01",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Batch items are jobs: run them inside the app, as ``anjuan serve`` does."""
    return settings.model_copy(update={"jobs_in_serve": True})


def _raw_post(client: TestClient, url: str, raw: str, headers: dict[str, str]):
    # json.dumps would refuse a lone surrogate; a client can still send its \\ud800 escape.
    return client.post(
        url, content=raw.encode(), headers={**headers, "Content-Type": "application/json"}
    )


@pytest.mark.parametrize("bad", ["\\u0001", "\\u0000", "\\ufffe", "\\ud800", "\\udfff"])
def test_a_document_with_a_forbidden_character_is_refused_without_a_number(
    client: TestClient, key_headers, bad: str
) -> None:
    system = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=CASE, headers=system).json()
    data = sample_data("01")
    data["evidence"][0]["name"] = "@@BAD@@"
    raw = json.dumps({"template": "01", "data": data}, ensure_ascii=False).replace(
        "@@BAD@@", f"现场{bad}笔录"
    )
    r = _raw_post(client, f"/api/v1/cases/{case['id']}/documents", raw, system)
    assert r.status_code == 422, r.text
    problem = r.json()["detail"][0]
    assert problem["field"] == "data.evidence[0].name" and problem["label"] == "证据名称"
    ok = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        json={"template": "01", "data": sample_data("01")},
        headers=system,
    )
    assert ok.status_code == 201 and ok.json()["doc_no"] == "中村约核〔2026〕1号"


def test_a_forbidden_character_in_a_field_name_is_refused(client: TestClient, key_headers) -> None:
    system = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=CASE, headers=system).json()
    raw = '{"template": "01", "data": {"pl\\ud800ace": "x"}}'
    r = _raw_post(client, f"/api/v1/cases/{case['id']}/documents", raw, system)
    assert r.status_code == 422
    assert "\ud800" not in r.text  # the answer itself is valid UTF-8


def test_a_case_with_a_lone_surrogate_is_refused(client: TestClient, key_headers) -> None:
    raw = '{"party": {"name": "甲\\ud83d公司", "kind": "enterprise"}, "cause": "x"}'
    r = _raw_post(client, "/api/v1/cases", raw, key_headers(Role.system))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "party.name"


@pytest.mark.parametrize("term", ["\x00", "供水\x00", "\x01", "\ufffe"])
def test_search_refuses_a_term_with_a_forbidden_character(
    client: TestClient, user_headers, term: str
) -> None:
    r = client.get("/api/v1/archives", params={"q": term}, headers=user_headers(Role.archivist))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "query.q"


def test_a_list_longer_than_its_bound_is_refused_before_it_is_numbered(
    client: TestClient, key_headers
) -> None:
    system = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=case_body(), headers=system).json()
    ids = run_flow(client, system, case["id"], ["01", "02", "03", "04", "05"])
    data = flow_data("06", ids)
    data["questions"] = ["问题"] * 10_000
    body = {"template": "06", "data": data, "issued_on": ISSUED_ON["06"]}
    r = client.post(f"/api/v1/cases/{case['id']}/documents", json=body, headers=system)
    assert r.status_code == 422, r.text
    problem = r.json()["detail"][0]
    assert (problem["field"], problem["type"]) == ("data.questions", "too_long")
    # the refused 06 took no 文号: the next one is the year's first
    ok = issue(client, system, case["id"], "06", ids)
    assert ok["doc_no"].endswith("〔2026〕1号"), ok["doc_no"]


def test_a_poison_batch_item_fails_alone_and_the_batch_finishes(
    client: TestClient, key_headers
) -> None:
    system = key_headers(Role.system)
    case = client.post("/api/v1/cases", json=CASE, headers=system).json()
    good = {"case_id": case["id"], "template": "01", "data": sample_data("01")}
    poison = dict(good, data=dict(sample_data("01"), reason="@@BAD@@"))
    raw = json.dumps({"items": [good, poison, good]}, ensure_ascii=False).replace(
        "@@BAD@@", "理由\\ud800"
    )
    r = _raw_post(client, "/api/v1/batches", raw, system)
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 120
    while True:
        body: dict[str, Any] = client.get(
            f"/api/v1/batches/{r.json()['id']}", headers=system
        ).json()
        if body["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert body["finished"] and (body["done"], body["failed"]) == (2, 1)
    failed = next(i for i in body["items"] if i["status"] == "failed")
    assert failed["index"] == 1 and failed["error"]["detail"][0]["field"] == "data.reason"


def _unbounded(schema: Any, components: dict[str, Any], seen: set[str], path: str = ""):
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                yield from _unbounded(components[name], components, seen, name)
            return
        kind = schema.get("type")
        if kind == "string" and not {"maxLength", "enum", "const", "format", "pattern"} & set(
            schema
        ):
            yield path
        if kind == "array" and "maxItems" not in schema:
            yield path
        for key, value in schema.items():
            yield from _unbounded(value, components, seen, f"{path}.{key}")
    elif isinstance(schema, list):
        for value in schema:
            yield from _unbounded(value, components, seen, path)


def test_every_request_body_bounds_its_texts_and_lists() -> None:
    spec = create_app().openapi()
    components = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody", {}).get("content", {})
            for media in body.values():
                found = list(_unbounded(media["schema"], components, set()))
                assert not found, f"{method.upper()} {path}: {found}"
