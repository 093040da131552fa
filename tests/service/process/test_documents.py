"""Issuing in the flow: contradictions refused, the 成文日期, references by id."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from tests.service.flow import ISSUED_ON, case_body, flow_data, run_flow


def _open(client: TestClient, clerk: dict[str, str], **kw: Any) -> int:
    r = client.post("/api/v1/cases", headers=clerk, json=case_body(**kw))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _post(client: TestClient, clerk, case_id: int, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/cases/{case_id}/documents", headers=clerk, json=body)


def _fields(r: Any) -> list[str]:
    assert r.status_code == 422, r.text
    return [p["field"] for p in r.json()["detail"]]


def test_a_verification_before_the_clue_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk, clue_received_on="2026-09-05")
    r = _post(client, clerk, case_id, {"template": "01", "data": sample_data("01")})
    assert _fields(r) == ["data.verified_on"]
    assert "线索接收" in r.json()["detail"][0]["message"]


def test_a_review_agreeing_despite_a_failed_check_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02"])
    data = flow_data("03", ids)
    data["evidence_sufficient"]["passed"] = False
    r = _post(client, clerk, case_id, {"template": "03", "data": data})
    assert _fields(r) == ["data.conclusion"] and r.json()["detail"][0]["label"] == "审核结论"


def test_an_acceptance_passing_a_failed_check_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    client.post(
        f"/api/v1/cases/{case_id}/acts",
        headers=clerk,
        json={"kind": "report_received", "on": "2026-10-13"},
    )
    data = flow_data("10", ids)
    data["checks"][1]["outcome"] = "不符合"
    r = _post(client, clerk, case_id, {"template": "10", "data": data})
    assert _fields(r) == ["data.conclusion"] and "checks[1]" in r.json()["detail"][0]["message"]


def test_a_report_due_date_off_the_working_day_rule_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07"])
    data = flow_data("08", ids)
    data["report_due"] = "2026-10-12"  # the rule gives 10-13: three working days before 10-16
    r = _post(client, clerk, case_id, {"template": "08", "data": data, "issued_on": "2026-09-17"})
    assert _fields(r) == ["data.report_due"] and "2026-10-13" in r.json()["detail"][0]["message"]


def test_the_document_date_defaults_to_its_acts_date(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07"])
    docs = {
        d["template"]: d
        for d in client.get(f"/api/v1/cases/{case_id}/documents", headers=clerk).json()
    }
    assert docs["01"]["issued_on"] == "2026-09-03"  # verified_on
    assert docs["03"]["issued_on"] == "2026-09-07"  # reviewed_on
    assert docs["02"]["issued_on"] == "2026-09-08"  # the leader signed the approval
    assert docs["04"]["issued_on"] == ISSUED_ON["04"]  # as given
    assert docs["05"]["issued_on"] == "2026-09-10"  # served (signed for)
    assert docs["07"]["issued_on"] == "2026-09-16"  # the interview
    token = docs["07"]["verify_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/verify/{token}").json()["issued_on"] == "2026-09-16"
    assert ids["07"] == docs["07"]["id"]


def test_a_document_dated_in_the_future_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    r = _post(
        client,
        clerk,
        case_id,
        {"template": "06", "data": sample_data("06"), "issued_on": "2099-01-04"},
    )
    assert _fields(r) == ["issued_on"]
    data = sample_data("01")
    data["verified_on"] = "2099-01-04"
    assert "data.verified_on" in _fields(
        _post(client, clerk, case_id, {"template": "01", "data": data})
    )


def test_a_proof_of_service_cannot_predate_what_it_serves(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04"])
    data = flow_data("05", ids)
    data["receipt"]["signed_at"] = "2026-09-08T10:00:00"  # the notice is dated 09-09
    r = _post(client, clerk, case_id, {"template": "05", "data": data})
    assert "issued_on" in _fields(r)


def test_an_acceptance_cannot_predate_the_report(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    client.post(
        f"/api/v1/cases/{case_id}/acts",
        headers=clerk,
        json={"kind": "report_received", "on": "2026-10-13"},
    )
    data = flow_data("10", ids)
    data["report_received_on"] = data["accepted_on"] = "2026-10-12"
    r = _post(client, clerk, case_id, {"template": "10", "data": data})
    assert "issued_on" in _fields(r)


def test_the_doc_no_year_is_the_document_dates(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk, clue_received_on="2025-12-29")
    data = sample_data("01")
    data["verified_on"] = "2025-12-31"
    r = _post(client, clerk, case_id, {"template": "01", "data": data})
    assert r.status_code == 201, r.text
    assert r.json()["doc_no"] == "中村约核〔2025〕1号"


def test_a_served_document_is_named_by_id_and_its_title_and_doc_no_filled(
    client: TestClient, clerk
) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04"])
    notice = client.get(f"/api/v1/documents/{ids['04']}", headers=clerk).json()
    data = flow_data("05", ids)
    data["documents"][0] |= {"title": "随手写的名称", "doc_no": "随手写的文号"}
    r = _post(client, clerk, case_id, {"template": "05", "data": data})
    assert r.status_code == 201, r.text
    served = client.get(f"/api/v1/documents/{r.json()['id']}/docx", headers=clerk)
    from tests.service.documents.test_views import docx_text

    text = docx_text(served.content)
    assert notice["doc_no"] in text and "行政约谈通知书" in text
    assert "随手写的文号" not in text


def test_a_reference_to_another_cases_document_is_refused(client: TestClient, clerk) -> None:
    first = _open(client, clerk)
    theirs = run_flow(client, clerk, first, ["01", "02", "03", "04"])
    mine = _open(client, clerk, party="另一家公司")
    run_flow(client, clerk, mine, ["01", "02", "03", "04"])
    r = _post(client, clerk, mine, {"template": "05", "data": flow_data("05", theirs)})
    assert _fields(r) == ["data.documents[0].document_id"]
    assert "not a document of this case" in r.json()["detail"][0]["message"]


def test_a_reference_to_the_wrong_kind_of_document_is_refused(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    data = flow_data("09", {"08": ids["07"]})
    r = _post(client, clerk, case_id, {"template": "09", "data": data})
    assert (
        _fields(r) == ["data.notice_id"] and "not a 整改通知书" in r.json()["detail"][0]["message"]
    )
