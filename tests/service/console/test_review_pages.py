"""案卷评查 in the console: the legal section draws October's sample (the API's draw), scores a
file item by item — a missing point is refused beside its item, a failing file without
findings is refused — and the leader reads the results without a form; a clerk sees nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from service.auth.models import Role
from service.runtime import Runtime
from tests.service.console.conftest import Person, csrf_of, sign_in

POINTS = {"documents": 30, "procedure": 25, "time_limits": 15, "law": 20, "filing": 10}


def test_the_legal_section_draws_and_scores_a_month_in_the_console(
    october: list[int], client: TestClient, user_headers, browser_client: TestClient, person: Person
) -> None:
    sign_in(browser_client, person("zhou-legal", Role.legal))
    page = browser_client.get("/reviews", params={"month": "2026-10"})
    assert "尚未抽取" in page.text
    drawn = browser_client.post(
        "/reviews/draw", data={"month": "2026-10", "csrf": csrf_of(page.text)}
    )
    assert drawn.status_code == 303
    page = browser_client.get("/reviews", params={"month": "2026-10"})
    assert "结案 7 件" in page.text and "抽取 2 件" in page.text  # ceil(15% of 7)
    api = client.get("/api/v1/reviews/draws/2026-10", headers=user_headers(Role.legal))
    if api.status_code == 200:  # the API's view of the same draw, where it has one
        assert api.json()["seed"] in page.text
    sample_ids = re.findall(r'href="/reviews/samples/(\d+)"', page.text)
    assert len(sample_ids) == 2

    form = browser_client.get(f"/reviews/samples/{sample_ids[0]}")
    token = csrf_of(form.text)
    scores = {f"awarded_{code}": str(points) for code, points in POINTS.items()}
    missing = dict(scores, awarded_law="", csrf=token)
    r = browser_client.post(f"/reviews/samples/{sample_ids[0]}/score", data=missing)
    assert r.status_code == 422 and "请填写" in r.text
    failing = dict(scores, awarded_documents="0", note_documents="缺送达回证", csrf=token)
    r = browser_client.post(f"/reviews/samples/{sample_ids[0]}/score", data=failing)
    assert r.status_code == 422 and "须填写评查结论" in r.text  # beside the findings field
    assert 'name="findings" maxlength="5000" aria-invalid="true"' in r.text
    r = browser_client.post(
        f"/reviews/samples/{sample_ids[0]}/score", data=failing | {"findings": "文书不全"}
    )
    assert r.status_code == 303
    page = browser_client.get("/reviews", params={"month": "2026-10"})
    assert "不合格" in page.text and ">70<" in page.text


def test_the_leader_reads_results_and_a_clerk_is_refused(
    october: list[int], browser_client: TestClient, person: Person, runtime: Runtime
) -> None:
    sign_in(browser_client, person("li-leader", Role.leader))
    page = browser_client.get("/reviews", params={"month": "2026-10"})
    assert page.status_code == 200 and "/reviews/draw" not in page.text  # no draw for a leader
    browser_client.cookies.clear()
    sign_in(browser_client, person("zhang-clerk", Role.clerk))
    assert browser_client.get("/reviews").status_code == 403
