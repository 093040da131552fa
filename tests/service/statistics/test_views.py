"""The statistics route: who may read it, its CSV and XLSX, its period, and figures from acts
recorded by the real flow (documents issued through the API)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from service.auth.models import Role
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

Q3 = {"from": "2026-07-01", "to": "2026-09-30"}


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.leader, 200), (Role.legal, 200), (Role.auditor, 200), (Role.clerk, 403)],
)
def test_statistics_are_for_leaders_legal_and_auditors(
    client: TestClient, user_headers, role: Role, status: int
) -> None:
    r = client.get("/api/v1/statistics", headers=user_headers(role), params=Q3)
    assert r.status_code == status, r.text


def test_a_period_ending_before_it_starts_is_refused_naming_the_field(
    client: TestClient, user_headers
) -> None:
    r = client.get(
        "/api/v1/statistics",
        headers=user_headers(Role.leader),
        params={"from": "2026-09-30", "to": "2026-07-01"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "to"


def test_csv_carries_the_same_figures_under_chinese_headers(
    client: TestClient, user_headers, office
) -> None:
    headers = user_headers(Role.legal)
    r = client.get("/api/v1/statistics", headers=headers, params={**Q3, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    total = next(row for row in rows if row["分组方式"] == "合计")
    assert (total["受理线索数"], total["超期率"], total["线索至启动中位数（工作日）"]) == (
        "4",
        str(round(7 / 36, 4)),
        "10",
    )
    three = next(row for row in rows if row["分组方式"] == "科室" and row["分组"] == "三科")
    assert three["当前超期环节数"] == "1"


def test_xlsx_has_one_sheet_per_breakdown(client: TestClient, user_headers, office) -> None:
    r = client.get(
        "/api/v1/statistics", headers=user_headers(Role.auditor), params={**Q3, "format": "xlsx"}
    )
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == [
        "说明",
        "合计",
        "按科室",
        "按承办人",
        "按月份",
        "按环节",
        "按文书",
        "连续超期科室",
    ]
    months = list(wb["按月份"].values)
    assert months[0][:2] == ("月份", "受理线索数")
    assert [(m[0], m[1]) for m in months[1:]] == [("2026-07", 2), ("2026-08", 2), ("2026-09", 0)]
    assert list(wb["连续超期科室"].values)[1][:2] == ("三科", 3)


def test_figures_come_from_the_acts_the_real_flow_records(
    client: TestClient, clerk: dict[str, str], user_headers
) -> None:
    case = client.post(
        "/api/v1/cases", headers=clerk, json=case_body(section="一科", handler="张三")
    ).json()
    run_flow(client, clerk, case["id"], PASSED)
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON, "satisfaction": 95},
    )
    assert r.status_code == 200, r.text
    stats: dict[str, Any] = client.get(
        "/api/v1/statistics",
        headers=user_headers(Role.leader),
        params={"from": "2026-09-01", "to": "2026-10-31"},
    ).json()
    t = stats["totals"]
    assert (t["cases_opened"], t["cases_closed"], t["closed_passed"]) == (1, 1, 1)
    assert (t["interviews_held"], t["acceptances_passed"], t["documents_issued"]) == (1, 1, 10)
    # clue 09-01 (Tue), 04 issued 09-09: 09-02, 03, 04, 07, 08, 09
    assert t["clue_to_start_median_wd"] == 6
    assert (t["ledger_share"], t["satisfaction_mean"]) == (1.0, 95.0)
    assert [s["key"] for s in stats["by_month"]] == ["2026-09", "2026-10"]
