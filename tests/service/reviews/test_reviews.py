"""The monthly case-file review (案卷评查) and the quarterly revisit (回访): draws that anyone
can redo, scoring against the checklist, the failed file's handler notified, the 文书合格率."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service import clock
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.cases.models import Case, CaseOutcome
from service.db import transaction
from service.jobs.registry import JobContext
from service.reviews.jobs import monthly_draw
from service.reviews.models import DrawKind
from service.reviews.service import pick, seed_for
from service.runtime import Runtime
from tests.service.statistics.office import TODAY, Spec, build

FULL = [
    {"code": "documents", "awarded": 30, "note": "齐全"},
    {"code": "procedure", "awarded": 25, "note": "合法"},
    {"code": "time_limits", "awarded": 15, "note": ""},
    {"code": "law", "awarded": 20, "note": ""},
    {"code": "filing", "awarded": 10, "note": ""},
]


@pytest.fixture
def closed(runtime: Runtime) -> Iterator[dict[str, list[int]]]:
    """20 cases closed in October 2026, 11 in Q3 (3 in September), one still open; the
    clock on 2026-11-16."""
    when = datetime.fromisoformat(TODAY).replace(tzinfo=clock.LOCAL_TZ).astimezone(UTC)
    clock.set_clock(lambda: when)
    ids: dict[str, list[int]] = {"october": [], "q3": []}
    with transaction(runtime.sessions) as session:
        for i in range(20):
            spec = Spec(f"十月{i}", "一科", f"承办{i % 3}", "2026-09-01")
            spec.outcome, spec.closed_on = CaseOutcome.other, f"2026-10-{1 + i:02d}"
            ids["october"].append(build(session, runtime.settings, spec).id)
        for i in range(11):
            spec = Spec(f"三季度{i}", "二科", "李四", "2026-07-01")
            spec.outcome, spec.closed_on = CaseOutcome.other, f"2026-{7 + i % 3:02d}-15"
            ids["q3"].append(build(session, runtime.settings, spec).id)
        build(session, runtime.settings, Spec("未结", "一科", "张三", "2026-10-01"))
    yield ids
    clock.set_clock(None)


@pytest.fixture
def legal(user_headers) -> dict[str, str]:
    """Bearer header of the legal section."""
    return dict(user_headers(Role.legal))


def _draw(client: TestClient, headers: dict[str, str], month: str) -> Any:
    return client.post("/api/v1/reviews/draws", headers=headers, json={"month": month})


def test_the_draw_takes_fifteen_percent_rounded_up_of_the_months_closed_cases(
    client, legal, closed, runtime
) -> None:
    r = _draw(client, legal, "2026-10")
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["population"] == sorted(closed["october"])  # not the open one, not September's
    assert d["size"] == 3  # ceil(0.15 × 20) = 3 exactly (in floats 3.0000000000000004)
    assert len({s["case_id"] for s in d["samples"]}) == 3
    assert {s["case_id"] for s in d["samples"]} <= set(closed["october"])


def test_the_draw_is_reproducible_from_its_recorded_seed_and_population(
    client, legal, closed, runtime
) -> None:
    d = _draw(client, legal, "2026-10").json()
    assert d["seed"] == seed_for(runtime.settings.agency_code, DrawKind.review, "2026-10")
    redone = pick(d["population"], d["size"], d["seed"])
    assert [s["case_id"] for s in d["samples"]] == redone
    again = _draw(client, legal, "2026-10")
    assert again.status_code == 200
    assert again.json() == d


def test_no_case_is_drawn_twice(client, legal, closed, runtime) -> None:
    september = _draw(client, legal, "2026-09").json()
    drawn = september["samples"][0]["case_id"]
    with transaction(runtime.sessions) as session:  # a closure date corrected into October
        case = session.get(Case, drawn)
        assert case is not None
        case.closed_on = datetime(2026, 10, 30).date()
    october = _draw(client, legal, "2026-10").json()
    assert drawn not in october["population"]
    assert drawn not in [s["case_id"] for s in october["samples"]]


def test_a_month_not_over_is_not_drawn(client, legal, closed) -> None:
    assert _draw(client, legal, "2026-11").status_code == 409


def test_only_the_legal_section_draws(client, user_headers, closed) -> None:
    assert _draw(client, user_headers(Role.clerk), "2026-10").status_code == 403
    assert _draw(client, user_headers(Role.leader), "2026-10").status_code == 403


def test_the_monthly_job_draws_the_previous_month_as_the_api_would(
    client, legal, closed, runtime
) -> None:
    ctx = JobContext(runtime, 1, "reviews.monthly_draw", 1, 3)
    # 2026-11-01 18:00 UTC is 02:00 on 11-02 in China: October's draw
    stamp = int(datetime(2026, 11, 1, 18, tzinfo=UTC).timestamp())
    result = monthly_draw(ctx, timestamp=stamp)
    assert (result["month"], result["created"]) == ("2026-10", True)
    via_api = _draw(client, legal, "2026-10")
    assert via_api.status_code == 200 and via_api.json()["id"] == result["draw_id"]
    assert monthly_draw(ctx, timestamp=stamp)["created"] is False


def _score(client: TestClient, headers: dict[str, str], sample_id: int, **body: Any) -> Any:
    return client.post(f"/api/v1/reviews/samples/{sample_id}/score", headers=headers, json=body)


def test_scoring_against_the_checklist_gives_the_document_quality_rate(
    client, legal, closed, runtime
) -> None:
    samples = _draw(client, legal, "2026-10").json()["samples"]
    ok = _score(client, legal, samples[0]["id"], items=FULL)
    assert ok.status_code == 200, ok.text
    assert (ok.json()["score"], ok.json()["passed"]) == (100, True)
    low = [dict(i) for i in FULL]
    low[0] |= {"awarded": 10, "note": "缺送达回证"}  # 80 < 85
    failed = _score(client, legal, samples[1]["id"], items=low, findings="文书不全：缺送达回证")
    assert failed.status_code == 200, failed.text
    assert (failed.json()["score"], failed.json()["passed"]) == (80, False)
    assert failed.json()["items"][0]["note"] == "缺送达回证"
    stats = client.get(
        "/api/v1/statistics",
        headers=legal,
        params={"from": "2026-11-01", "to": "2026-11-30"},
    ).json()["totals"]
    assert (stats["cases_reviewed"], stats["cases_reviewed_passed"]) == (2, 1)
    assert stats["document_quality_rate"] == 0.5


def test_a_failed_file_notifies_its_handler_with_the_findings(
    client, legal, closed, runtime, user_headers
) -> None:
    admin = user_headers(Role.admin)
    hook = {"name": "case-system", "url": "http://127.0.0.1:9/", "events": ["review.failed"]}
    assert client.post("/api/v1/webhooks", headers=admin, json=hook).status_code == 201
    sample = _draw(client, legal, "2026-10").json()["samples"][0]
    low = [dict(i) | {"awarded": 0} for i in FULL]
    assert _score(client, legal, sample["id"], items=low).status_code == 422  # no findings
    r = _score(client, legal, sample["id"], items=low, findings="程序违法")
    assert r.status_code == 200
    with transaction(runtime.sessions) as session:
        notices = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "review.notify_handler"))
        )
    assert len(notices) == 1
    assert notices[0].detail["handler"] == sample["handler"]
    assert notices[0].detail["findings"] == "程序违法"
    # and the case system that tells the handler gets the review.failed event
    (sent,) = client.get("/api/v1/webhooks/case-system/deliveries", headers=admin).json()
    assert sent["event"] == "review.failed"
    assert sent["payload"]["data"]["handler"] == sample["handler"]
    assert sent["payload"]["data"]["findings"] == "程序违法"
    assert _score(client, legal, sample["id"], items=FULL).status_code == 409  # scored once


def test_a_scoring_must_cover_every_item_within_its_points(client, legal, closed) -> None:
    sample_id = _draw(client, legal, "2026-10").json()["samples"][0]["id"]
    r = _score(client, legal, sample_id, items=FULL[:4])
    assert r.status_code == 422 and "filing" in r.json()["detail"][0]["message"]
    over = [dict(i) for i in FULL]
    over[1]["awarded"] = 26
    r = _score(client, legal, sample_id, items=over)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "items.1.awarded"


def test_the_quarterly_revisit_draws_ten_percent_and_records_the_outcome(
    client, legal, closed
) -> None:
    r = client.post("/api/v1/reviews/revisits", headers=legal, json={"quarter": "2026Q3"})
    assert r.status_code == 201, r.text
    d = r.json()
    assert (d["kind"], len(d["population"]), d["size"]) == ("revisit", 11, 2)  # ceil(1.1)
    sample_id = d["samples"][0]["id"]
    r = client.post(
        f"/api/v1/reviews/samples/{sample_id}/revisit",
        headers=legal,
        json={"on": "2026-11-10", "outcome": "已整改到位，无反弹", "satisfaction": 95},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["revisit_outcome"], r.json()["revisit_satisfaction"]) == (
        "已整改到位，无反弹",
        95,
    )
