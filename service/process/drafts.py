"""What the case already knows is not typed again: a document's data prefilled from the case
and its earlier documents, for the clerk to complete (``GET …/documents/{code}/draft``).

Each template takes what its predecessors hold: interviewers and place from 02 into 04, 06 and
07, the facts and provisions from 01, items and deadline from 07 into 08, 08's items into 09,
10 and 11, the interview record into 12 as evidence… What nothing holds is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from service.calendar.workdays import Calendar, working_days_before
from service.cases.models import Case
from service.documents.models import Document
from service.process.models import Act, ActKind

Data = dict[str, Any]


class Known:
    """The case, its effective documents (latest of each template) and its acts."""

    def __init__(self, case: Case, docs: list[Document], acts: list[Act]) -> None:
        self.case = case
        self.docs = {d.template_code: d for d in docs}  # the latest of each template wins
        self.acts = [a for a in acts if a.voided_at is None]

    def data(self, code: str) -> Data:
        """The data of the latest effective document of ``code`` ({} when none)."""
        doc = self.docs.get(code)
        return dict(doc.data) if doc else {}

    def id(self, code: str) -> int | None:
        """The id of the latest effective document of ``code``."""
        doc = self.docs.get(code)
        return doc.id if doc else None

    def act_on(self, kind: ActKind) -> date | None:
        """The date of the latest act of ``kind``."""
        dates = [a.occurred_on for a in self.acts if a.kind == kind]
        return max(dates) if dates else None


def _officers(people: list[Data]) -> list[Data]:
    return [{"name": p.get("name"), "cert_no": p.get("cert_no")} for p in people]


def _pick(source: Data, *keys: str) -> Data:
    return {k: source[k] for k in keys if source.get(k) not in (None, "", [])}


def _d01(k: Known, _cal: Calendar) -> Data:
    return {"clue_received_on": k.case.clue_received_on.isoformat()}


def _d02(k: Known, _cal: Calendar) -> Data:
    r01 = k.data("01")
    out = {"major_case": k.case.major}
    if r01.get("facts"):
        out["summary"] = r01["facts"]
    return out


def _d03(k: Known, _cal: Calendar) -> Data:
    out: Data = {"major_case": k.case.major}
    if k.case.section:
        out["submitted_by"] = k.case.section
    return out


def _arrangement(k: Known) -> Data:
    """When, where and who of the interview: from the notice, else the approval form."""
    r04, r02 = k.data("04"), k.data("02")
    out: Data = {}
    if r04:
        out |= _pick(r04, "interview_time", "place")
        out["interviewers"] = _officers(r04.get("interviewers", []))
    elif r02:
        out |= {"interview_time": r02.get("proposed_time"), "place": r02.get("proposed_place")}
        out["interviewers"] = _officers(r02.get("interviewers", []))
    return {key: value for key, value in out.items() if value}


def _d04(k: Known, _cal: Calendar) -> Data:
    out = _arrangement(k)
    basis = k.data("01").get("provisions_violated")
    if basis:
        out["legal_basis"] = basis
    return out


def _d05(k: Known, _cal: Calendar) -> Data:
    served = [a.detail.get("document_ids", []) for a in k.acts if a.kind == ActKind.document_served]
    already = {i for ids in served for i in ids}
    to_serve = [
        d
        for code, d in k.docs.items()
        if code in ("04", "08", "10", "11", "12") and d.id not in already
    ]
    return {"documents": [{"document_id": d.id, "copies": 1} for d in to_serve[:1]]}


def _d06(k: Known, _cal: Calendar) -> Data:
    out = _arrangement(k)
    basis = k.data("01").get("provisions_violated")
    if basis:
        out["legal_basis"] = basis
    return out


def _d07(k: Known, _cal: Calendar) -> Data:
    arrangement = _arrangement(k)
    out: Data = {}
    if "interview_time" in arrangement:
        out["started_at"] = arrangement["interview_time"]
    out |= _pick(arrangement, "place", "interviewers")
    r01 = k.data("01")
    if r01.get("facts"):
        out["facts"] = r01["facts"]
    if r01.get("provisions_violated"):
        out["provisions"] = r01["provisions_violated"]
    if r01.get("evidence"):
        out["evidence"] = [e.get("name") for e in r01["evidence"] if e.get("name")]
    return out


def _d08(k: Known, cal: Calendar) -> Data:
    r07 = k.data("07")
    out: Data = {}
    if not r07:
        return out
    started = r07.get("started_at")
    if isinstance(started, str):
        out["interview_on"] = started[:10]
        days = r07.get("period_days")
        items = r07.get("items", [])
        if items:
            out["items"] = items
            deadline = max(date.fromisoformat(i["deadline"]) for i in items)
            out["deadline"] = deadline.isoformat()
            out["report_due"] = working_days_before(cal, deadline, 3).date.isoformat()
        elif days:
            deadline = date.fromisoformat(started[:10]) + timedelta(days=days)
            out["deadline"] = deadline.isoformat()
            out["report_due"] = working_days_before(cal, deadline, 3).date.isoformat()
    if r07.get("facts"):
        out["findings"] = r07["facts"]
    if r07.get("provisions"):
        out["legal_basis"] = r07["provisions"]
    return out


def _notice(k: Known) -> Data:
    notice_id = k.id("08")
    return {"notice_id": notice_id} if notice_id else {}


def _d09(k: Known, _cal: Calendar) -> Data:
    r08 = k.data("08")
    out = _notice(k) | _pick(r08, "deadline")
    if r08.get("items"):
        out["rows"] = [{"item": i.get("item"), "deadline": i.get("deadline")} for i in r08["items"]]
    return out


def _acceptance(k: Known) -> Data:
    out = _notice(k)
    received = k.act_on(ActKind.report_received)
    if received:
        out["report_received_on"] = received.isoformat()
    inspectors = k.data("07").get("interviewers")
    if inspectors:
        out["inspectors"] = _officers(inspectors)
    return out


def _d10(k: Known, _cal: Calendar) -> Data:
    out = _acceptance(k)
    items = k.data("08").get("items", [])
    if items:
        out["checks"] = [{"item": i.get("item"), "standard": i.get("standard")} for i in items]
    return out


def _d11(k: Known, _cal: Calendar) -> Data:
    out = _acceptance(k)
    r10 = k.data("10")
    out |= _pick(r10, "accepted_on", "report_summary", "follow_up")
    if r10.get("inspectors"):
        out["inspectors"] = _officers(r10["inspectors"])
    items = [c.get("item") for c in r10.get("checks", [])] or [
        i.get("item") for i in k.data("08").get("items", [])
    ]
    if items:
        out["items_accepted"] = items
    return out


def _d12(k: Known, _cal: Calendar) -> Data:
    out: Data = {}
    record = k.docs.get("07")
    if record is not None:
        out["record_id"] = record.id
        out["evidence"] = [
            {"name": f"行政约谈记录（{record.doc_no}）", "kind": "现场笔录", "pages": 1},
            *k.data("01").get("evidence", []),
        ]
    r07 = k.data("07")
    if r07.get("facts"):
        out["facts"] = r07["facts"]
    if r07.get("provisions"):
        out["provisions_violated"] = r07["provisions"]
    return out


DRAFTS: dict[str, Callable[[Known, Calendar], Data]] = {
    "01": _d01,
    "02": _d02,
    "03": _d03,
    "04": _d04,
    "05": _d05,
    "06": _d06,
    "07": _d07,
    "08": _d08,
    "09": _d09,
    "10": _d10,
    "11": _d11,
    "12": _d12,
}


def draft(code: str, known: Known, cal: Calendar) -> Data:
    """The prefilled data of a new document of ``code``."""
    make = DRAFTS.get(code)
    return make(known, cal) if make else {}
