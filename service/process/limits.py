"""The steps of a case and their time limits: the flow is fixed, the limits are configurable.

Each step is opened by one act and closed by another; its limit counts from the opening act's
date on the working-day calendar (the day of the act itself not counted). The numbers are the
ones of DOMAIN.md and reference 000, overridable per office with ``ANJUAN_TIME_LIMITS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from service.process.models import ActKind


class Step(StrEnum):
    """The steps of the flow, in order."""

    verification = "verification"
    legal_review = "legal_review"
    approval = "approval"
    notice = "notice"
    service = "service"
    interview = "interview"
    rectification = "rectification"
    report = "report"
    acceptance = "acceptance"
    archiving = "archiving"


STEP_LABELS: dict[Step, str] = {
    Step.verification: "线索核实",
    Step.legal_review: "法制审核",
    Step.approval: "审批",
    Step.notice: "制发约谈通知书",
    Step.service: "送达约谈通知书",
    Step.interview: "实施约谈",
    Step.rectification: "整改",
    Step.report: "报送整改报告",
    Step.acceptance: "整改验收",
    Step.archiving: "归档",
}


class Limit(BaseModel):
    """One step's limit. ``working_days`` after the opening act (``major`` for major cases);
    ``urgent_hours`` clock hours for urgent cases; ``before_deadline`` working days before the
    rectification deadline; ``deadline``: the deadline the rectification notice sets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    working_days: int | None = Field(default=None, ge=1, le=60)
    major: int | None = Field(default=None, ge=1, le=60)
    urgent_hours: int | None = Field(default=None, ge=1, le=240)
    before_deadline: int | None = Field(default=None, ge=1, le=30)
    deadline: bool = False


DEFAULT_LIMITS: dict[Step, Limit] = {
    Step.verification: Limit(working_days=3),
    Step.legal_review: Limit(working_days=2, major=5),
    Step.approval: Limit(working_days=1, major=3),
    Step.notice: Limit(working_days=2),
    Step.service: Limit(working_days=2),
    Step.interview: Limit(working_days=5, urgent_hours=24),
    Step.rectification: Limit(deadline=True),
    Step.report: Limit(before_deadline=3),
    Step.acceptance: Limit(working_days=5),
    Step.archiving: Limit(working_days=10),
}


@dataclass(frozen=True)
class Flow:
    """A step, the act that opens it, the act that closes it (``None``: the archive record),
    and, for the service step, which document the serving must be of."""

    step: Step
    opened_by: ActKind
    closed_by: ActKind | None
    serving: str | None = None


FLOW: tuple[Flow, ...] = (
    Flow(Step.verification, ActKind.clue_received, ActKind.verification_done),
    Flow(Step.legal_review, ActKind.verification_done, ActKind.legal_review_concluded),
    Flow(Step.approval, ActKind.legal_review_concluded, ActKind.approval_signed),
    Flow(Step.notice, ActKind.approval_signed, ActKind.notice_issued),
    Flow(Step.service, ActKind.approval_signed, ActKind.document_served, serving="04"),
    Flow(Step.interview, ActKind.document_served, ActKind.interview_held, serving="04"),
    Flow(Step.rectification, ActKind.rectification_notice_issued, ActKind.report_received),
    Flow(Step.report, ActKind.rectification_notice_issued, ActKind.report_received),
    Flow(Step.acceptance, ActKind.report_received, ActKind.acceptance_concluded),
    Flow(Step.archiving, ActKind.case_closed, None),
)
