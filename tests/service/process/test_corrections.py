"""A wrong document is voided, never deleted; its replacement names it and gets a new 文号;
the dossier holds only what is in effect and its 备考表 lists what was voided."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.dossier import extract_text
from doc_templates.samples import sample_data
from service.auth.models import Role
from service.config import Settings
from tests.service.flow import CLOSED_ON, PASSED, case_body, flow_data, run_flow


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Jobs run inside the app, as ``anjuan serve`` does: archiving is a job."""
    return settings.model_copy(update={"jobs_in_serve": True})


def _void(client: TestClient, headers: dict[str, str], doc_id: int, reason: str) -> Any:
    return client.post(f"/api/v1/documents/{doc_id}/void", headers=headers, json={"reason": reason})


def test_a_voided_document_verifies_as_superseded_naming_its_replacement(
    client: TestClient, clerk
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, ["01"])
    old = client.get(f"/api/v1/documents/{ids['01']}", headers=clerk).json()
    r = _void(client, clerk, ids["01"], "证据清单页数有误")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["void_reason"]) == ("superseded", "证据清单页数有误")
    token = old["verify_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/verify/{token}").json()["status"] == "superseded"

    data = sample_data("01")
    data["evidence"][0]["pages"] = 4
    new = client.post(
        f"/api/v1/cases/{case_id}/documents",
        headers=clerk,
        json={"template": "01", "data": data, "replaces": ids["01"]},
    )
    assert new.status_code == 201, new.text
    assert new.json()["doc_no"] != old["doc_no"] and new.json()["replaces"] == ids["01"]
    verified = client.get(f"/api/v1/verify/{token}").json()
    assert (verified["status"], verified["replaced_by"]) == ("superseded", new.json()["doc_no"])
    again = client.post(
        f"/api/v1/cases/{case_id}/documents",
        headers=clerk,
        json={"template": "01", "data": data, "replaces": ids["01"]},
    )
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "replaces"


def test_only_a_voided_document_of_the_same_kind_and_case_can_be_replaced(
    client: TestClient, clerk
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, ["01", "02"])
    body = {"template": "01", "data": sample_data("01"), "replaces": ids["01"]}
    r = client.post(f"/api/v1/cases/{case_id}/documents", headers=clerk, json=body)
    assert r.status_code == 422 and "void it first" in r.json()["detail"][0]["message"]
    _void(client, clerk, ids["02"], "审批意见有误")
    body["replaces"] = ids["02"]
    r = client.post(f"/api/v1/cases/{case_id}/documents", headers=clerk, json=body)
    assert r.status_code == 422 and "not a 01" in r.json()["detail"][0]["message"]


def test_voiding_the_approval_takes_its_act_and_the_notice_waits_again(
    client: TestClient, clerk
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, ["01", "02", "03"])
    assert _void(client, clerk, ids["02"], "领导签批日期误填").status_code == 200
    acts = client.get(f"/api/v1/cases/{case_id}/acts", headers=clerk).json()
    assert [a["voided"] for a in acts if a["kind"] == "approval_signed"] == [True]
    r = client.post(
        f"/api/v1/cases/{case_id}/documents",
        headers=clerk,
        json={"template": "04", "data": flow_data("04", ids), "issued_on": "2026-09-09"},
    )
    assert r.status_code == 409 and r.json()["detail"]["missing"][0]["need"] == "approving_02"


def test_a_clerk_or_the_legal_section_may_void_others_may_not(
    client: TestClient, clerk, user_headers
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, ["01", "06"])
    assert _void(client, user_headers(Role.archivist), ids["01"], "越权").status_code == 403
    assert _void(client, user_headers(Role.legal), ids["06"], "提纲作废").status_code == 200
    assert _void(client, clerk, ids["06"], "再次作废").status_code == 409


def test_voiding_after_archiving_archives_a_new_version_without_it(
    client: TestClient, clerk, archivist
) -> None:
    case_id = client.post("/api/v1/cases", headers=clerk, json=case_body()).json()["id"]
    ids = run_flow(client, clerk, case_id, [*PASSED, "06"])
    closed = client.post(
        f"/api/v1/cases/{case_id}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert closed.status_code == 200, closed.text
    archived = client.post(f"/api/v1/cases/{case_id}/archive", headers=archivist)
    assert archived.status_code == 201, archived.text
    first = archived.json()
    outline = client.get(f"/api/v1/documents/{ids['06']}", headers=clerk).json()
    r = _void(client, clerk, ids["06"], "提纲不应归档：内部草稿")
    assert r.status_code == 200 and r.json()["rearchived"] and r.json()["archive_version"] == 2
    detail = client.get(f"/api/v1/archives/{first['archive_no']}", headers=archivist).json()
    assert detail["versions"] == 2
    assert outline["doc_no"] not in [d["doc_no"] for d in detail["documents"]]
    pdf = client.get(f"/api/v1/archives/{first['archive_no']}/file", headers=archivist).content
    backnote = extract_text(pdf).split("\f")[-2:]  # the 卷内备考表 closes the dossier
    text = "".join(backnote).replace(" ", "")
    assert outline["doc_no"] in text and "作废" in text and "提纲不应归档" in text
