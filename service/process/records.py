"""What each template records: the act, its date (and time), and the document's 成文日期.

One table, read by issuing: a document records its act in the transaction that issues it, and
its 成文日期 defaults to that act's date — never silently to the day of data entry. A document
whose act is its own making (04, 08, 12, the outline 06) is dated the day it is issued unless
the caller says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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


def _path(data: Data, *keys: str) -> Any:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


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


RECORDS: dict[str, Record] = {
    "01": Record(ActKind.verification_done, "verified_on", lambda d: as_date(d.get("verified_on"))),
    "02": Record(
        ActKind.approval_signed,
        "leader_opinion.signed_on",
        # the approval happens when the leader signs a decision; a form printed to be signed
        # by hand records it later, directly
        lambda d: as_date(_path(d, "leader_opinion", "signed_on")) if d.get("decision") else None,
        detail=lambda d: {"approved": d.get("decision") == "同意约谈"},
    ),
    "03": Record(
        ActKind.legal_review_concluded,
        "reviewed_on",
        lambda d: as_date(d.get("reviewed_on")),
        detail=lambda d: {
            "conclusion": d.get("conclusion"),
            "approved": d.get("conclusion") == "同意约谈",
        },
    ),
    "04": Record(ActKind.notice_issued),
    "05": Record(
        ActKind.document_served,
        "receipt.signed_at",
        lambda d: as_date(_path(d, "receipt", "signed_at")),
        lambda d: as_moment(_path(d, "receipt", "signed_at")),
    ),
    "06": Record(None),
    "07": Record(
        ActKind.interview_held,
        "started_at",
        lambda d: as_date(d.get("started_at")),
        lambda d: as_moment(d.get("started_at")),
    ),
    "08": Record(
        ActKind.rectification_notice_issued,
        detail=lambda d: {"deadline": d.get("deadline"), "report_due": d.get("report_due")},
    ),
    "09": Record(None, "rows", lambda d: _latest(as_date(r.get("checked_on")) for r in d["rows"])),
    "10": Record(
        ActKind.acceptance_concluded,
        "accepted_on",
        lambda d: as_date(d.get("accepted_on")),
        detail=lambda d: {"passed": d.get("conclusion") == "验收合格"},
    ),
    "11": Record(None, "accepted_on", lambda d: as_date(d.get("accepted_on"))),
    "12": Record(ActKind.penalty_started),
}


def act_date(code: str, data: Data) -> date | None:
    """The date of the act a document of ``code`` records, where its data carries it."""
    record = RECORDS.get(code)
    return record.dated(data) if record else None
