"""What each template records — the act, its date (and time), and the document's 成文日期 —
from its spec (``doc_templates.spec``), with the details the process reads from the data.

Read by issuing: a document records its act in the transaction that issues it, and
its 成文日期 defaults to that act's date — never silently to the day of data entry. A document
whose act is its own making (04, 08, 12, the outline 06) is dated the day it is issued unless
the caller says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from doc_templates.fields import SPECS
from doc_templates.spec import TemplateSpec, field_at
from service.clock import LOCAL_TZ
from service.process.models import ActKind

Data = dict[str, Any]


def as_date(value: Any) -> date | None:
    """A date from JSON data (``YYYY-MM-DD`` or the date of an ISO date-time)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    return date.fromisoformat(value[:10])


def as_moment(value: Any) -> datetime | None:
    """An aware date-time from JSON data; a naive one is office time."""
    if not isinstance(value, str) or len(value) < 16:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Record:
    """What a template records. ``dated``: where its act's date is in the data (``None``: the
    document's own 成文日期); ``timed``: where the act's time is, where time matters."""

    kind: ActKind | None
    date_field: str | None = None  # where the date is, for messages (``data.<field>``)
    dated: Callable[[Data], date | None] = lambda _data: None
    timed: Callable[[Data], datetime | None] = lambda _data: None
    detail: Callable[[Data], dict[str, Any]] = lambda _data: {}


def _latest(dates: Iterable[date | None]) -> date | None:
    return max((d for d in dates if d is not None), default=None)


# What the process adds to a spec's act: its details, and when a document does not record its
# act after all (an approval form printed to be signed by hand carries no decision yet).
DETAILS: dict[str, Callable[[Data], dict[str, Any]]] = {
    "02": lambda d: {"approved": d.get("decision") == "同意约谈"},
    "03": lambda d: {
        "conclusion": d.get("conclusion"),
        "approved": d.get("conclusion") == "同意约谈",
    },
    "08": lambda d: {"deadline": d.get("deadline"), "report_due": d.get("report_due")},
    "10": lambda d: {"passed": d.get("conclusion") == "验收合格"},
}
RECORDED_WHEN: dict[str, Callable[[Data], bool]] = {"02": lambda d: bool(d.get("decision"))}
# A ledger is dated by its latest follow-up.
DATED_BY: dict[str, Callable[[Data], date | None]] = {
    "09": lambda d: _latest(as_date(r.get("checked_on")) for r in d["rows"]),
}


def _record(spec: TemplateSpec) -> Record:
    recorded = RECORDED_WHEN.get(spec.code, lambda _d: True)

    def dated(data: Data) -> date | None:
        if spec.code in DATED_BY:
            return DATED_BY[spec.code](data)
        value = as_date(field_at(data, spec.act_date))
        return value if value is not None and recorded(data) else None

    return Record(
        ActKind(spec.act) if spec.act else None,
        spec.act_date,
        dated,
        lambda data: as_moment(field_at(data, spec.act_time)),
        DETAILS.get(spec.code, lambda _d: {}),
    )


RECORDS: dict[str, Record] = {spec.code: _record(spec) for spec in SPECS}


def act_date(code: str, data: Data) -> date | None:
    """The date of the act a document of ``code`` records, where its data carries it."""
    record = RECORDS.get(code)
    return record.dated(data) if record else None
