"""The months cache: a past month is counted once and kept; a change in it (through the
process, which every act, document and closure goes through) makes the next request count it
again; runs of late steps join across months as one pass would."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from service.auth.models import Role
from service.db import transaction
from service.runtime import Runtime
from service.statistics.models import StatisticsMonth
from tests.service.statistics.office import K, Spec, act, build

Q3 = {"from": "2026-07-01", "to": "2026-09-30"}
APPROVED = {"approved": True}


def _stats(client: TestClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = client.get("/api/v1/statistics", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _kept(runtime: Runtime) -> dict[str, bool]:
    with transaction(runtime.sessions) as session:
        rows = session.execute(select(StatisticsMonth.period, StatisticsMonth.data))
        return {month: data is not None for month, data in rows}


def test_past_months_are_kept_and_give_the_same_figures(
    client, user_headers, office, runtime
) -> None:
    leader = user_headers(Role.leader)
    first = _stats(client, leader, **Q3)
    assert _kept(runtime) == {
        "2026-07": True,
        "2026-08": True,
        "2026-09": True,
        "now/2026-11-16": True,  # the steps overdue today
    }
    assert _stats(client, leader, **Q3) == first
    # in the month not over (November, today the 16th) the days before today are kept
    _stats(client, leader, **{"from": "2026-10-01", "to": "2026-11-30"})
    kept = _kept(runtime)
    assert kept["2026-10"] is True and "2026-11" not in kept
    assert kept["2026-11-15~"] is True  # November up to yesterday, as one


def test_a_change_in_a_kept_month_is_counted_by_the_next_request(
    client, user_headers, office, runtime
) -> None:
    leader = user_headers(Role.leader)
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 4
    with transaction(runtime.sessions) as session:  # a clue received in July, recorded late
        build(session, runtime.settings, Spec("庚公司", "一科", "张三", "2026-07-20"))
    assert _kept(runtime)["2026-07"] is False and _kept(runtime)["2026-09"] is False
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 5


def test_a_change_drops_only_what_it_touches(client, user_headers, office, runtime) -> None:
    leader = user_headers(Role.leader)
    november = {"from": "2026-11-01", "to": "2026-11-30"}
    _stats(client, leader, **{"from": "2026-07-01", "to": "2026-11-30"})
    with transaction(runtime.sessions) as session:  # a clue received today, 11-16
        build(session, runtime.settings, Spec("壬公司", "一科", "张三", "2026-11-16"))
    kept = _kept(runtime)
    assert kept["2026-10"] is True and kept["2026-11-15~"] is True  # before today: kept
    assert _stats(client, leader, **november)["totals"]["cases_opened"] == 1
    with transaction(runtime.sessions) as session:  # a clue received on 11-10
        build(session, runtime.settings, Spec("癸公司", "一科", "张三", "2026-11-10"))
    kept = _kept(runtime)
    assert kept["2026-10"] is True and kept["2026-11-15~"] is False
    assert _stats(client, leader, **november)["totals"]["cases_opened"] == 2


def test_a_filter_is_served_from_the_same_kept_months(client, user_headers, office) -> None:
    leader = user_headers(Role.leader)
    _stats(client, leader, **Q3)
    t = _stats(client, leader, **Q3, section="三科")["totals"]
    assert (t["cases_opened"], t["steps_done"], t["steps_overdue_now"]) == (1, 4, 1)


def test_a_run_of_late_steps_across_two_months_is_one_run(
    client, user_headers, office, runtime
) -> None:
    # verification due 07-30 done 07-31, legal review due 08-04 done 08-05, approval due
    # 08-06 done 08-07: three late in a row across July and August; the 04 on time (08-10)
    spec = Spec(
        "辛公司",
        "四科",
        "赵六",
        "2026-07-27",
        [
            act(K.verification_done, "2026-07-31"),
            act(K.legal_review_concluded, "2026-08-05", **APPROVED),
            act(K.approval_signed, "2026-08-07", **APPROVED),
            act(K.notice_issued, "2026-08-10"),
        ],
    )
    with transaction(runtime.sessions) as session:
        build(session, runtime.settings, spec)
    leader = user_headers(Role.leader)
    for _ in range(2):  # computed, then kept
        runs = {r["section"]: r for r in _stats(client, leader, **Q3)["overdue_sections"]}
        assert (runs["四科"]["overdue_in_a_row"], runs["四科"]["first_due_on"]) == (3, "2026-07-30")
        assert runs["四科"]["last_due_on"] == "2026-08-06"
    assert _kept(runtime)["2026-07"] is True


def test_voiding_a_document_through_the_api_recounts_the_months_it_touched(
    client, clerk, user_headers, runtime
) -> None:
    from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

    case = client.post("/api/v1/cases", headers=clerk, json=case_body(section="一科")).json()
    ids = run_flow(client, clerk, case["id"], PASSED)
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    leader = user_headers(Role.leader)
    period = {"from": "2026-09-01", "to": "2026-10-31"}
    assert _stats(client, leader, **period)["totals"]["ledger_share"] == 1.0
    assert {k: v for k, v in _kept(runtime).items() if not k.startswith("now/")} == {
        "2026-09": True,
        "2026-10": True,
    }
    r = client.post(
        f"/api/v1/documents/{ids['09']}/void", headers=clerk, json={"reason": "台账有误"}
    )
    assert r.status_code == 200, r.text
    t = _stats(client, leader, **period)["totals"]
    assert (t["ledger_share"], t["documents_voided"]) == (0.0, 0)  # voided today, not in the period


def test_a_step_done_leaves_the_kept_overdue_steps_of_the_day(
    client, user_headers, office, runtime
) -> None:
    from service.cases.models import Case
    from service.process.models import Act
    from service.process.service import sync_steps
    from tests.service.statistics.office import moment

    leader = user_headers(Role.leader)
    assert _stats(client, leader, **Q3)["totals"]["steps_overdue_now"] == 3
    assert _kept(runtime)["now/2026-11-16"] is True
    with transaction(runtime.sessions) as session:  # F's 04 served at last, on 11-13
        case = session.scalar(select(Case).where(Case.party_name == "己公司"))
        assert case is not None
        session.add(
            Act(
                case_id=case.id,
                kind=K.document_served,
                occurred_on=datetime(2026, 11, 13).date(),
                detail={"templates": ["04"]},
                recorded_by="test",
                recorded_at=moment("2026-11-16"),
            )
        )
        session.flush()
        sync_steps(session, runtime.settings, case)
    assert _stats(client, leader, **Q3)["totals"]["steps_overdue_now"] == 2


def test_kept_counts_are_known_by_their_digest_not_by_their_row(
    client, user_headers, office, runtime
) -> None:
    """A process decodes a kept month once and knows it by the digest of its counts: counts
    put in the row under another digest (another database's, another generation's) are read
    from the row; counts under the same digest are the same counts."""
    from sqlalchemy import update

    from service.statistics import cache

    leader = user_headers(Role.leader)
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 4
    with transaction(runtime.sessions) as session:
        data = session.scalar(
            select(StatisticsMonth.data).where(StatisticsMonth.period == "2026-07")
        )
        assert data is not None
        for tally in data["tallies"]:  # one more clue in July, written behind the service
            if tally[3].get("opened"):
                tally[3]["opened"] += 1
                break
        else:
            raise AssertionError("no clue counted in July")
        session.execute(
            update(StatisticsMonth)
            .where(StatisticsMonth.period == "2026-07")
            .values(data=data, digest=cache.digest_of(data))
        )
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 5
    with transaction(runtime.sessions) as session:  # the row's counts cleared, digest kept
        session.execute(
            update(StatisticsMonth)
            .where(StatisticsMonth.period == "2026-07")
            .values(data={"tallies": [], "steps": [], "templates": [], "runs": {}})
        )
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 5  # decoded before


def test_a_change_clears_the_digest_with_the_counts(client, user_headers, office, runtime) -> None:
    leader = user_headers(Role.leader)
    _stats(client, leader, **Q3)
    with transaction(runtime.sessions) as session:
        build(session, runtime.settings, Spec("子公司", "一科", "张三", "2026-08-03"))
    with transaction(runtime.sessions) as session:
        rows = {
            period: digest
            for period, digest in session.execute(
                select(StatisticsMonth.period, StatisticsMonth.digest)
            )
        }
    assert rows["2026-07"] is not None
    assert rows["2026-08"] is None and rows["2026-09"] is None
    assert _stats(client, leader, **Q3)["totals"]["cases_opened"] == 5
