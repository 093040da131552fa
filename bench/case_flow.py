"""A case through the interview's flow for the benchmarks, as the tests run it: the sample
documents in order on one 2026 timeline (``tests/service/flow.py``), each pointing at the
case's own documents — in-process (``fill_case``) or over HTTP (``open_case_http``,
``issue_http``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from service.audit.service import Actor
from service.cases.models import Case, CaseOutcome
from service.cases.schemas import CaseClose, CaseCreate, PartyIn
from service.cases.service import close_case, create_case, get_case
from service.documents.schemas import DocumentIssue
from service.documents.service import issue_document
from service.process.models import ActKind
from service.process.service import record_direct_act
from service.runtime import Runtime
from tests.service.flow import CLOSED_ON, CLUE_ON, ISSUED_ON, PASSED, REPORT_ON, flow_data

# the passing flow with the interview outline: every template but the penalty notice (12)
ALL_PASSED = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]
assert set(PASSED) < set(ALL_PASSED)

__all__ = ["ALL_PASSED", "CLUE_ON", "fill_case", "issue_http", "open_case_http"]


def fill_case(
    session: Any, rt: Runtime, actor: Actor, party: str, *, major: bool = False, close: bool = True
) -> Case:
    """Open a case, issue the passing flow's eleven documents (01 … 11) and close it."""
    case, _ = create_case(
        session,
        rt.settings,
        actor,
        CaseCreate(
            party=PartyIn(name=party, kind="enterprise"),
            cause="后厨环境卫生不符合食品安全标准",
            major=major,
            clue_received_on=date.fromisoformat(CLUE_ON),
        ),
    )
    ids: dict[str, int] = {}
    for code in ALL_PASSED:
        if code == "10":
            record_direct_act(
                session,
                rt.settings,
                actor,
                get_case(session, case.id),
                ActKind.report_received,
                date.fromisoformat(REPORT_ON),
                None,
                None,
                None,
            )
        issued_on = date.fromisoformat(ISSUED_ON[code]) if code in ISSUED_ON else None
        doc, _ = issue_document(
            session,
            rt.settings,
            rt.documents,
            actor,
            case.id,
            DocumentIssue(template=code, data=flow_data(code, ids), issued_on=issued_on),
        )
        ids[code] = doc.id
    if close:
        close_case(
            session,
            rt.settings,
            actor,
            case.id,
            CaseClose(outcome=CaseOutcome.passed, closed_on=date.fromisoformat(CLOSED_ON)),
        )
    return case


def open_case_http(base: str, headers: dict[str, str], party: str) -> dict[str, Any]:
    """Open a case on the sample timeline over HTTP."""
    r = httpx.post(
        f"{base}/api/v1/cases",
        headers=headers,
        json={
            "party": {"name": party, "kind": "enterprise"},
            "cause": "负载",
            "clue_received_on": CLUE_ON,
        },
        timeout=60,
    )
    r.raise_for_status()
    return dict(r.json())


def issue_http(
    client: httpx.Client | None,
    base: str,
    headers: dict[str, str],
    case_id: int,
    code: str,
    ids: dict[str, int],
) -> dict[str, Any]:
    """Issue ``code`` of the flow over HTTP (01 may be issued again and again: a new 文号 each
    time, as a load needs)."""
    body: dict[str, Any] = {"template": code, "data": flow_data(code, ids)}
    if code in ISSUED_ON:
        body["issued_on"] = ISSUED_ON[code]
    post = client.post if client is not None else httpx.post
    r = post(f"{base}/api/v1/cases/{case_id}/documents", headers=headers, json=body, timeout=60)
    r.raise_for_status()
    doc = dict(r.json())
    ids[code] = doc["id"]
    return doc
