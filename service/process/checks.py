"""Contradictions a document may not carry, and the rules of its 成文日期. Each a 422 naming
the field, in the words a clerk reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from service.calendar.workdays import Calendar, working_days_before
from service.documents.models import Document
from service.process.models import Act
from service.process.records import RECORDS, act_date

Problem = dict[str, Any]


def _problem(field: str, message: str, label: str) -> Problem:
    return {"field": field, "message": message, "type": "contradiction", "label": label}


def _checks_failed(data: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return [k for k in keys if isinstance(data.get(k), dict) and data[k].get("passed") is False]


def contradictions(
    code: str,
    model: BaseModel,
    clue_received_on: date,
    cal: Calendar,
    report_before_deadline: int,
) -> list[Problem]:
    """What the document says against itself or against the case."""
    data = model.model_dump(mode="json")
    out: list[Problem] = []
    if code == "01":
        verified = date.fromisoformat(data["verified_on"])
        if verified < clue_received_on:
            out.append(
                _problem(
                    "data.verified_on",
                    f"verified on {verified}, before the clue was received on "
                    f"{clue_received_on} (核实日期早于线索接收日期)",
                    "核实日期",
                )
            )
    elif code == "03" and data["conclusion"] == "同意约谈":
        failed = _checks_failed(
            data,
            (
                "party_identified",
                "facts_clear",
                "evidence_sufficient",
                "procedure_lawful",
                "law_applied",
            ),
        )
        if failed:
            out.append(
                _problem(
                    "data.conclusion",
                    f"concludes 同意约谈 although {', '.join(failed)} failed "
                    "(审核事项不符合的，不能得出同意约谈的结论)",
                    "审核结论",
                )
            )
    elif code == "08":
        deadline = date.fromisoformat(data["deadline"])
        due = working_days_before(cal, deadline, report_before_deadline)
        if date.fromisoformat(data["report_due"]) != due.date:
            out.append(
                _problem(
                    "data.report_due",
                    f"the report is due {report_before_deadline} working days before the "
                    f"deadline {deadline}: {due.date}"
                    + (" (provisional calendar)" if due.provisional else ""),
                    "整改报告报送期限",
                )
            )
    elif code == "10" and data["conclusion"] == "验收合格":
        failed = [
            f"checks[{i}]" for i, c in enumerate(data["checks"]) if c.get("outcome") != "符合"
        ]
        failed += [
            k for k in ("materials_complete", "measures_lawful", "target_met") if not data[k]
        ]
        if failed:
            out.append(
                _problem(
                    "data.conclusion",
                    f"concludes 验收合格 although {', '.join(failed)} not met "
                    "(有验收事项不符合的，不能得出验收合格的结论)",
                    "验收结论",
                )
            )
    return out


def document_date(
    code: str,
    data: dict[str, Any],
    requested: date | None,
    today: date,
    after: Sequence[tuple[str, date]],
) -> tuple[date, list[Problem]]:
    """The 成文日期: as requested, else the date of the act the document records, else today
    (for a document whose act is its own making). Never in the future, never before what it
    depends on (``after``: what, and its date)."""
    problems: list[Problem] = []
    acted = act_date(code, data)
    record = RECORDS.get(code)
    if acted is not None and acted > today and record and record.date_field:
        problems.append(
            _problem(
                f"data.{record.date_field}",
                f"{acted} is in the future (日期不能晚于今天)",
                "日期",
            )
        )
    issued_on = requested or acted or today
    if issued_on > today:
        problems.append(
            _problem(
                "issued_on", f"{issued_on} is in the future (成文日期不能晚于今天)", "成文日期"
            )
        )
    for what, when in after:
        if issued_on < when:
            problems.append(
                _problem(
                    "issued_on",
                    f"{issued_on} is before {what} on {when} (成文日期不能早于其所依据的事项)",
                    "成文日期",
                )
            )
    return issued_on, problems


def dependencies(
    referenced: Sequence[Document], acts: Sequence[Act], needed_kinds: set[str]
) -> list[tuple[str, date]]:
    """The dates a new document may not precede: the documents it names and the latest act of
    each kind its order rule needs."""
    out = [(f"{d.doc_no}", d.issued_on) for d in referenced]
    for kind in needed_kinds:
        dates = [a.occurred_on for a in acts if a.kind == kind and a.voided_at is None]
        if dates:
            out.append((kind, max(dates)))
    return out
