"""The order of the flow: a document (or closure) whose prerequisites are missing is refused
with 409 out_of_order naming each of them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.flow import CLOSED_ON, ISSUED_ON, case_body, flow_data, run_flow


def _open(client: TestClient, clerk: dict[str, str]) -> int:
    r = client.post("/api/v1/cases", headers=clerk, json=case_body())
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _try(client: TestClient, clerk, case_id: int, code: str, ids: dict[str, int]) -> Any:
    body: dict[str, Any] = {"template": code, "data": flow_data(code, ids)}
    if code in ISSUED_ON:
        body["issued_on"] = ISSUED_ON[code]
    return client.post(f"/api/v1/cases/{case_id}/documents", headers=clerk, json=body)


def _missing(r: Any) -> list[str]:
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "out_of_order"
    return [m["need"] for m in r.json()["detail"]["missing"]]


def test_a_notice_needs_an_approving_02_and_an_agreeing_03(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    assert _missing(_try(client, clerk, case_id, "04", {})) == ["approving_02", "agreeing_03"]
    ids = run_flow(client, clerk, case_id, ["01", "02"])
    assert _missing(_try(client, clerk, case_id, "04", ids)) == ["agreeing_03"]


def test_a_review_asking_for_more_material_does_not_open_the_notice(
    client: TestClient, clerk
) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02"])
    data = flow_data("03", ids)
    data["conclusion"] = "补充材料后再审"
    r = client.post(
        f"/api/v1/cases/{case_id}/documents", headers=clerk, json={"template": "03", "data": data}
    )
    assert r.status_code == 201, r.text
    assert _missing(_try(client, clerk, case_id, "04", ids)) == ["agreeing_03"]


def test_a_printed_approval_form_opens_the_notice_once_signed(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01"])
    data = flow_data("02", ids)
    data.pop("decision")  # printed to be signed by hand
    r = client.post(
        f"/api/v1/cases/{case_id}/documents",
        headers=clerk,
        json={"template": "02", "data": data, "issued_on": "2026-09-04"},
    )
    assert r.status_code == 201, r.text
    ids["02"] = r.json()["id"]
    run_flow(client, clerk, case_id, ["03"])
    assert _missing(_try(client, clerk, case_id, "04", ids)) == ["approving_02"]
    signed = client.post(
        f"/api/v1/cases/{case_id}/acts",
        headers=clerk,
        json={
            "kind": "approval_signed",
            "on": "2026-09-08",
            "document_id": ids["02"],
            "approved": True,
        },
    )
    assert signed.status_code == 201, signed.text
    assert _try(client, clerk, case_id, "04", ids).status_code == 201


@pytest.mark.parametrize(
    ("code", "before", "need"),
    [
        ("07", ["01", "02", "03", "04"], ["served_04"]),
        ("08", ["01", "02", "03", "04", "05"], ["held_07"]),
        ("11", ["01", "02", "03", "04", "05", "07", "08"], ["passing_10"]),
    ],
)
def test_each_document_waits_for_its_prerequisite(
    client: TestClient, clerk, code: str, before: list[str], need: list[str]
) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, before)
    assert _missing(_try(client, clerk, case_id, code, {**ids, "07": ids.get("07", 1)})) == need


def test_an_acceptance_needs_the_notice_and_the_report(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07"])
    assert _missing(_try(client, clerk, case_id, "10", {**ids, "08": 1})) == [
        "issued_08",
        "report_received",
    ]
    ids = {**ids, **run_flow(client, clerk, case_id, ["08"])}
    assert _missing(_try(client, clerk, case_id, "10", ids)) == ["report_received"]


def test_a_failing_acceptance_opens_the_penalty_notice_a_passing_one_does_not(
    client: TestClient, clerk
) -> None:
    passing = _open(client, clerk)
    ids = run_flow(client, clerk, passing, ["01", "02", "03", "04", "05", "07", "08", "10"])
    assert _missing(_try(client, clerk, passing, "12", ids)) == ["failing_10_or_overdue"]
    failing = _open(client, clerk)
    run_flow(
        client,
        clerk,
        failing,
        ["01", "02", "03", "04", "05", "07", "08", "10", "12"],
        failing=True,
    )


def test_an_overdue_rectification_opens_the_penalty_notice_without_an_acceptance(
    client: TestClient, clerk
) -> None:
    # the sample timeline's deadline (2026-10-16) has passed and no report came
    case_id = _open(client, clerk)
    ids = run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    assert _try(client, clerk, case_id, "12", ids).status_code == 201


def test_closing_needs_the_outcome_to_have_happened(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    for outcome, need in (("passed", "passing_10"), ("penalty", "penalty_started")):
        r = client.post(
            f"/api/v1/cases/{case_id}/close",
            headers=clerk,
            json={"outcome": outcome, "closed_on": CLOSED_ON},
        )
        assert _missing(r) == [need]
    other = client.post(
        f"/api/v1/cases/{case_id}/close",
        headers=clerk,
        json={"outcome": "other", "closed_on": CLOSED_ON},
    )
    assert other.status_code == 200 and other.json()["stage"] == "closed"


def test_the_report_needs_a_rectification_notice(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    r = client.post(
        f"/api/v1/cases/{case_id}/acts",
        headers=clerk,
        json={"kind": "report_received", "on": "2026-10-13"},
    )
    assert _missing(r) == ["issued_08"]
