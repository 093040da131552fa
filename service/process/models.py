"""The case as a process: its acts (each with its own date) and the steps they open and close.

An act is what happened and when: the clue received, the verification done, the notice
served… Most are recorded by the document that records them (01 verification, 03 review, 05
service, 07 interview…); the rest directly. Steps (verification, legal review, approval, …,
archiving) are derived from the acts and the time-limit table on the working-day calendar and
kept in ``case_steps`` so that warnings, reminders and statistics read them without
recomputing every case; they are recomputed whenever an act changes and when a calendar year
is loaded.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class ActKind(StrEnum):
    """Every step of the flow that happens on a date (or at a time)."""

    clue_received = "clue_received"  # 线索接收
    verification_done = "verification_done"  # 线索核实 (01)
    legal_review_concluded = "legal_review_concluded"  # 法制审核 (03)
    approval_signed = "approval_signed"  # 审批 (02)
    notice_issued = "notice_issued"  # 约谈通知书 (04)
    document_served = "document_served"  # 送达 (05)
    interview_held = "interview_held"  # 约谈 (07)
    rectification_notice_issued = "rectification_notice_issued"  # 整改通知书 (08)
    report_received = "report_received"  # 收到整改报告
    acceptance_concluded = "acceptance_concluded"  # 整改验收 (10)
    penalty_started = "penalty_started"  # 转入行政处罚程序 (12)
    guidance_given = "guidance_given"  # 行政指导 (G01)
    follow_up_visited = "follow_up_visited"  # 回访 (G02)
    mediation_accepted = "mediation_accepted"  # 受理调解 (M01)
    mediation_held = "mediation_held"  # 调解 (M02)
    mediation_agreed = "mediation_agreed"  # 达成调解协议 (M03)
    case_closed = "case_closed"  # 结案


ACT_LABELS: dict[ActKind, str] = {
    ActKind.clue_received: "接收线索",
    ActKind.verification_done: "线索核实",
    ActKind.legal_review_concluded: "法制审核",
    ActKind.approval_signed: "审批",
    ActKind.notice_issued: "制发约谈通知书",
    ActKind.document_served: "送达",
    ActKind.interview_held: "实施约谈",
    ActKind.rectification_notice_issued: "制发整改通知书",
    ActKind.report_received: "收到整改报告",
    ActKind.acceptance_concluded: "整改验收",
    ActKind.penalty_started: "转入行政处罚程序",
    ActKind.guidance_given: "实施行政指导",
    ActKind.follow_up_visited: "行政指导回访",
    ActKind.mediation_accepted: "受理调解",
    ActKind.mediation_held: "调解",
    ActKind.mediation_agreed: "达成调解协议",
    ActKind.case_closed: "结案",
}


class Act(Base):
    """One act of a case; ``voided_at`` set when the document recording it was voided."""

    __tablename__ = "acts"
    __table_args__ = (Index("ix_acts_case_id_kind", "case_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[ActKind] = mapped_column(
        Enum(ActKind, native_enum=False, length=40, name="act_kind")
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # where time matters
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StepStatus(StrEnum):
    """Where a step stands."""

    pending = "pending"  # what starts it has not happened yet
    open = "open"  # running: due on ``due_on`` (or at ``due_at``)
    done = "done"


class StepWarning(StrEnum):
    """红黄牌: yellow when at most the configured working days are left, red when overdue
    (or, for a step done, when it was done late)."""

    yellow = "yellow"
    red = "red"


WARNING_RANK: dict[StepWarning | None, int] = {None: 0, StepWarning.yellow: 1, StepWarning.red: 2}


class CaseStep(Base):
    """A step of a case as the acts and the calendar make it, kept for queries."""

    __tablename__ = "case_steps"
    __table_args__ = (Index("ix_case_steps_status_due_on", "status", "due_on"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    step: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[StepStatus] = mapped_column(
        Enum(StepStatus, native_enum=False, length=16, name="step_status")
    )
    started_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # urgent interview: hours
    done_on: Mapped[date | None] = mapped_column(Date)
    done_late: Mapped[bool] = mapped_column(Boolean, default=False)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # The highest warning already reported (audit and webhooks), so each is reported once.
    notified: Mapped[str | None] = mapped_column(String(8))
