"""The leader's statistics page: the period's figures as the API counts them, by month and
section, exported as CSV and XLSX; a clerk may not see it."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient

from service.auth.models import Role
from tests.service.console.conftest import Person, sign_in
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

PERIOD = {"from": "2026-09-01", "to": "2026-10-31"}


def _closed_case(client: TestClient, clerk: dict[str, str], section: str) -> None:
    case = client.post("/api/v1/cases", headers=clerk, json=case_body(section=section)).json()
    run_flow(client, clerk, case["id"], PASSED)
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text


def test_the_leader_reads_the_periods_figures_as_the_api_counts_them(
    client: TestClient, clerk, user_headers, browser_client: TestClient, person: Person
) -> None:
    _closed_case(client, clerk, "执法一科")
    _closed_case(client, clerk, "执法二科")
    api = client.get("/api/v1/statistics", headers=user_headers(Role.leader), params=PERIOD)
    totals = api.json()["totals"]
    assert (totals["cases_opened"], totals["cases_closed"]) == (2, 2)

    sign_in(browser_client, person("li-leader", Role.leader))
    page = browser_client.get("/statistics", params=PERIOD)
    assert page.status_code == 200
    html = page.text
    assert "统计分析" in html and "2026年9月1日至2026年10月31日" in html
    assert '<th>受理线索数</th><td class="num">2</td>' in html
    assert '<th>整改合格率</th><td class="num">100.0%</td>' in html
    assert "执法一科" in html and "执法二科" in html  # by section
    assert "2026-09" in html and "2026-10" in html  # by month

    csv = browser_client.get("/statistics/export.csv", params=PERIOD)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "受理线索数" in csv.text
    xlsx = browser_client.get("/statistics/export.xlsx", params=PERIOD)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) > 1


def test_a_clerk_does_not_see_the_statistics(browser_client: TestClient, person: Person) -> None:
    sign_in(browser_client, person("zhang-clerk", Role.clerk))
    assert "/statistics" not in browser_client.get("/welcome").text
    r = browser_client.get("/statistics")
    assert r.status_code == 403 and "无权访问" in r.text
