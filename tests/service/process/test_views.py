"""Drafts prefilled from the case, acts recorded directly, the timeline, and the warnings
across cases with sections flagged for three overdue steps in a row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service import clock
from service.auth.models import Role
from tests.service.flow import case_body, issue, run_flow


@pytest.fixture
def at() -> Iterator[Any]:
    def move(moment: str) -> None:
        when = datetime.fromisoformat(moment).replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
        clock.set_clock(lambda: when)

    yield move
    clock.set_clock(None)


def _open(client: TestClient, clerk: dict[str, str], **kw: Any) -> int:
    r = client.post("/api/v1/cases", headers=clerk, json=case_body(**kw))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _draft(client: TestClient, clerk, case_id: int, code: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/cases/{case_id}/documents/{code}/draft", headers=clerk)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_drafts_take_what_the_case_already_knows(client: TestClient, clerk) -> None:
    case_id = _open(client, clerk)
    d04 = _draft(client, clerk, case_id, "04")
    assert [m["need"] for m in d04["missing"]] == ["approving_02", "agreeing_03"]
    ids: dict[str, int] = {}
    for code in ("01", "02", "03"):
        issue(client, clerk, case_id, code, ids)
    d04 = _draft(client, clerk, case_id, "04")
    approval = sample_data("02")
    assert d04["missing"] == []
    assert d04["data"]["place"] == approval["proposed_place"]
    assert d04["data"]["interview_time"].startswith(approval["proposed_time"][:16])
    assert [i["name"] for i in d04["data"]["interviewers"]] == [
        i["name"] for i in approval["interviewers"]
    ]
    assert d04["data"]["legal_basis"] == sample_data("01")["provisions_violated"]

    issue(client, clerk, case_id, "04", ids)
    d05 = _draft(client, clerk, case_id, "05")
    assert d05["data"]["documents"] == [{"document_id": ids["04"], "copies": 1}]

    issue(client, clerk, case_id, "05", ids)
    issue(client, clerk, case_id, "07", ids)
    d08 = _draft(client, clerk, case_id, "08")
    record = sample_data("07")
    assert d08["data"]["items"] == record["items"]
    assert d08["data"]["interview_on"] == record["started_at"][:10]
    assert (d08["data"]["deadline"], d08["data"]["report_due"]) == ("2026-10-16", "2026-10-13")

    issue(client, clerk, case_id, "08", ids)
    client.post(
        f"/api/v1/cases/{case_id}/acts",
        headers=clerk,
        json={"kind": "report_received", "on": "2026-10-13"},
    )
    d10 = _draft(client, clerk, case_id, "10")
    assert d10["data"]["notice_id"] == ids["08"]
    assert d10["data"]["report_received_on"] == "2026-10-13"
    assert [c["item"] for c in d10["data"]["checks"]] == [i["item"] for i in record["items"]]
    d12 = _draft(client, clerk, case_id, "12")
    assert d12["data"]["record_id"] == ids["07"]
    assert "行政约谈记录" in d12["data"]["evidence"][0]["name"]


def test_a_direct_act_in_the_future_or_of_the_wrong_kind_is_refused(
    client: TestClient, clerk
) -> None:
    case_id = _open(client, clerk)
    run_flow(client, clerk, case_id, ["01", "02", "03", "04", "05", "07", "08"])
    url = f"/api/v1/cases/{case_id}/acts"
    future = client.post(url, headers=clerk, json={"kind": "report_received", "on": "2099-01-05"})
    assert future.status_code == 422 and future.json()["detail"][0]["field"] == "on"
    early = client.post(url, headers=clerk, json={"kind": "report_received", "on": "2026-09-16"})
    assert early.status_code == 422  # before the rectification notice of 09-17
    wrong = client.post(url, headers=clerk, json={"kind": "interview_held", "on": "2026-09-16"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "kind"
    ok = client.post(url, headers=clerk, json={"kind": "report_received", "on": "2026-10-13"})
    assert ok.status_code == 201
    timeline = client.get(url, headers=clerk).json()
    assert [a["kind"] for a in timeline][-1] == "report_received"
    assert [a["on"] for a in timeline] == sorted(a["on"] for a in timeline)
    assert timeline[1]["doc_no"] and timeline[1]["label"] == "线索核实"


def test_warnings_list_yellow_and_red_steps_and_filter_them(
    client: TestClient, clerk, user_headers, at
) -> None:
    leader = user_headers(Role.leader)
    at("2026-09-03 10:00")
    red = _open(client, clerk, clue_received_on="2026-08-27", section="一科", handler="张三")
    yellow = _open(client, clerk, party="黄牌公司", section="二科", handler="李四")
    calm = _open(client, clerk, party="无事公司", clue_received_on="2026-09-02", section="二科")
    body = client.get("/api/v1/warnings", headers=leader).json()
    marks = {(w["case_id"], w["step"]): w["warning"] for w in body["items"]}
    assert marks == {(red, "verification"): "red", (yellow, "verification"): "yellow"}
    assert calm not in {w["case_id"] for w in body["items"]}
    only = client.get("/api/v1/warnings", headers=leader, params={"section": "二科"}).json()
    assert [w["case_id"] for w in only["items"]] == [yellow]
    reds = client.get("/api/v1/warnings", headers=leader, params={"level": "red"}).json()
    assert [w["handler"] for w in reds["items"]] == ["张三"]
    assert client.get("/api/v1/warnings", headers=user_headers(Role.supervisor)).status_code == 403


def test_a_section_with_three_overdue_steps_in_a_row_is_flagged(
    client: TestClient, clerk, user_headers, at
) -> None:
    at("2026-09-10 10:00")
    # 一科: three cases whose verification ran late, in a row; 二科: late, on time, late
    for n, clue in enumerate(["2026-08-20", "2026-08-21", "2026-08-24"]):
        _open(client, clerk, party=f"一科{n}", clue_received_on=clue, section="一科")
    for n, clue in enumerate(["2026-08-20", "2026-09-09", "2026-08-24"]):
        _open(client, clerk, party=f"二科{n}", clue_received_on=clue, section="二科")
    body = client.get("/api/v1/warnings", headers=user_headers(Role.leader)).json()
    flagged = {f["section"]: f for f in body["flagged_sections"]}
    assert list(flagged) == ["一科"]
    assert flagged["一科"]["overdue_in_a_row"] == 3
    assert {s["step"] for s in flagged["一科"]["steps"]} == {"verification"}
