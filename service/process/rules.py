"""The order of the flow: what must have happened before a document (or a direct act, or a
closure) — one table of named conditions over the case's acts; nothing else decides order.

| what                 | needs                                                   |
|----------------------|---------------------------------------------------------|
| 04 约谈通知书         | an approving 02 and a 03 concluding 同意约谈               |
| 05 送达回证           | (the document it serves: checked as a reference)         |
| 07 约谈记录           | a served 04                                              |
| 08 整改通知书         | an interview held (07)                                   |
| 10 验收意见书         | an 08 and the party's report received                    |
| 11 验收合格书         | a passing 10                                             |
| 12 处罚事先告知书     | a failing 10, or the rectification overdue               |
| report received      | an 08                                                    |
| approval (direct)    | a 02                                                     |
| close as passed      | a passing 10                                             |
| close as penalty     | a 12 (penalty procedure started)                          |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from service.errors import Conflict
from service.process.models import Act, ActKind


@dataclass(frozen=True)
class CaseState:
    """What the rules look at: the case's effective acts and documents, and today."""

    acts: Sequence[Act]
    templates: frozenset[str]  # codes of the case's effective documents
    today: date
    rectification_due: date | None  # the rectification step's due date, when running

    def has(self, kind: ActKind, test: Callable[[Act], bool] = lambda _a: True) -> bool:
        """True when an effective act of ``kind`` passes ``test``."""
        return any(a.kind == kind and a.voided_at is None and test(a) for a in self.acts)


@dataclass(frozen=True)
class Need:
    """A condition, with a stable code, what it means in Chinese, and the acts it is about
    (a document needing it may not be dated before them)."""

    code: str
    label: str
    holds: Callable[[CaseState], bool]
    kinds: tuple[ActKind, ...] = ()


def _detail(key: str, value: object) -> Callable[[Act], bool]:
    return lambda act: (act.detail or {}).get(key) == value


APPROVING_02 = Need(
    "approving_02",
    "审批表已经领导审批同意",
    lambda s: s.has(ActKind.approval_signed, _detail("approved", True)),
)
AGREEING_03 = Need(
    "agreeing_03",
    "法制审核意见书结论为同意约谈",
    lambda s: s.has(ActKind.legal_review_concluded, _detail("approved", True)),
    (ActKind.legal_review_concluded,),
)
SERVED_04 = Need(
    "served_04",
    "约谈通知书已送达",
    lambda s: s.has(
        ActKind.document_served, lambda a: "04" in (a.detail or {}).get("templates", [])
    ),
    (ActKind.document_served,),
)
HELD_07 = Need(
    "held_07",
    "已实施约谈（约谈记录）",
    lambda s: s.has(ActKind.interview_held),
    (ActKind.interview_held,),
)
ISSUED_08 = Need(
    "issued_08",
    "已制发整改通知书",
    lambda s: s.has(ActKind.rectification_notice_issued),
    (ActKind.rectification_notice_issued,),
)
ISSUED_02 = Need("issued_02", "已制作审批表", lambda s: "02" in s.templates)
REPORT_RECEIVED = Need(
    "report_received",
    "已收到整改报告",
    lambda s: s.has(ActKind.report_received),
    (ActKind.report_received,),
)
PASSING_10 = Need(
    "passing_10",
    "整改验收合格",
    lambda s: s.has(ActKind.acceptance_concluded, _detail("passed", True)),
)
FAILING_10_OR_OVERDUE = Need(
    "failing_10_or_overdue",
    "整改验收不合格或逾期未整改",
    lambda s: (
        s.has(ActKind.acceptance_concluded, _detail("passed", False))
        or (
            s.rectification_due is not None
            and s.today > s.rectification_due
            and not s.has(ActKind.report_received)
        )
    ),
)
PENALTY_STARTED = Need(
    "penalty_started",
    "已制发行政处罚事先告知书",
    lambda s: s.has(ActKind.penalty_started),
    (ActKind.penalty_started,),
)

ORDER: dict[str, tuple[Need, ...]] = {
    "04": (APPROVING_02, AGREEING_03),
    "07": (SERVED_04,),
    "08": (HELD_07,),
    "10": (ISSUED_08, REPORT_RECEIVED),
    "11": (PASSING_10,),
    "12": (FAILING_10_OR_OVERDUE,),
    f"act:{ActKind.report_received.value}": (ISSUED_08,),
    f"act:{ActKind.approval_signed.value}": (ISSUED_02,),
    "close:passed": (PASSING_10,),
    "close:penalty": (PENALTY_STARTED,),
}


def needed_kinds(what: str) -> set[str]:
    """The act kinds the conditions of ``what`` are about."""
    return {kind.value for need in ORDER.get(what, ()) for kind in need.kinds}


class OutOfOrder(Conflict):
    """What this needs has not happened yet."""

    code = "out_of_order"


def check_order(what: str, state: CaseState, name: str) -> None:
    """409 ``out_of_order`` naming every condition ``what`` needs that does not hold."""
    missing = [n for n in ORDER.get(what, ()) if not n.holds(state)]
    if missing:
        raise OutOfOrder(
            {
                "message": f"{name} needs what has not happened yet: "
                + "; ".join(n.label for n in missing),
                "missing": [{"need": n.code, "label": n.label} for n in missing],
            }
        )
