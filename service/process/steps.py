"""A case's steps from its acts, the time-limit table and the working-day calendar. Pure.

For each step: pending until its opening act, then open with a due date (or, for an urgent
interview, a due time), done with the first closing act; a yellow warning when at most the
configured working days (hours) are left, red when overdue, and red for a step done late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.calendar.workdays import (
    Calendar,
    DueDate,
    add_hours,
    add_working_days,
    first_working_day,
    working_days_before,
    working_days_left,
)
from service.process.limits import FLOW, STEP_LABELS, Flow, Limit, Step
from service.process.models import Act, ActKind, StepStatus, StepWarning


@dataclass(frozen=True)
class CaseKind:
    """What chooses a step's variant."""

    major: bool
    urgent: bool


@dataclass(frozen=True)
class Warnings:
    """When a warning turns yellow."""

    yellow_working_days: int = 1
    yellow_hours: int = 6


@dataclass(frozen=True)
class StepState:
    """One step as it stands."""

    step: Step
    position: int
    status: StepStatus
    started_on: date | None
    due_on: date | None
    due_at: datetime | None
    done_on: date | None
    done_late: bool
    warning: StepWarning | None
    provisional: bool

    @property
    def label(self) -> str:
        """The step's Chinese name."""
        return STEP_LABELS[self.step]


def _matches(act: Act, flow: Flow) -> bool:
    if act.kind != ActKind.document_served or flow.serving is None:
        return True
    return flow.serving in (act.detail or {}).get("templates", [])


def _first(acts: Sequence[Act], kind: ActKind | None, flow: Flow) -> Act | None:
    found = [a for a in acts if a.kind == kind and _matches(a, flow)]
    return min(found, key=lambda a: (a.occurred_on, a.id or 0), default=None)


def _due(
    cal: Calendar, flow: Flow, limit: Limit, opened: Act, kind: CaseKind
) -> tuple[date | None, datetime | None, bool]:
    """The due date (or time) of a step opened by ``opened``, and whether it is provisional."""
    if limit.urgent_hours and kind.urgent:
        moment = opened.occurred_at
        if moment is not None:
            due = add_hours(moment, limit.urgent_hours)
            return due.at.date(), due.at, False
    if limit.deadline or limit.before_deadline:
        raw = (opened.detail or {}).get("deadline")
        if not raw:
            return None, None, False
        deadline = date.fromisoformat(raw)
        result: DueDate = (
            working_days_before(cal, deadline, limit.before_deadline)
            if limit.before_deadline
            else first_working_day(cal, deadline)
        )
        return result.date, None, result.provisional
    days = limit.major if kind.major and limit.major else limit.working_days
    if not days:
        return None, None, False
    result = add_working_days(cal, opened.occurred_on, days)
    return result.date, None, result.provisional


def compute_steps(
    acts: Sequence[Act],
    archived_on: date | None,
    kind: CaseKind,
    limits: dict[Step, Limit],
    cal: Calendar,
    now: datetime,
    today: date,
    warnings: Warnings = Warnings(),
) -> list[StepState]:
    """Every step of the flow for a case with these (effective) acts."""
    live = [a for a in acts if a.voided_at is None]
    out = []
    for position, flow in enumerate(FLOW, start=1):
        opened = _first(live, flow.opened_by, flow)
        closed = _first(live, flow.closed_by, flow) if flow.closed_by else None
        done_on = closed.occurred_on if closed else archived_on if flow.closed_by is None else None
        if opened is None:
            out.append(
                StepState(
                    flow.step,
                    position,
                    StepStatus.pending,
                    None,
                    None,
                    None,
                    done_on,
                    False,
                    None,
                    False,
                )
            )
            continue
        due_on, due_at, provisional = _due(cal, flow, limits[flow.step], opened, kind)
        if done_on is not None:
            late = _late(closed, done_on, due_on, due_at)
            out.append(
                StepState(
                    flow.step,
                    position,
                    StepStatus.done,
                    opened.occurred_on,
                    due_on,
                    due_at,
                    done_on,
                    late,
                    StepWarning.red if late else None,
                    provisional,
                )
            )
            continue
        warning = warning_of(cal, due_on, due_at, now, today, warnings)
        out.append(
            StepState(
                flow.step,
                position,
                StepStatus.open,
                opened.occurred_on,
                due_on,
                due_at,
                None,
                False,
                warning,
                provisional,
            )
        )
    return out


def _late(closed: Act | None, done_on: date, due_on: date | None, due_at: datetime | None) -> bool:
    if due_at is not None and closed is not None and closed.occurred_at is not None:
        return closed.occurred_at > due_at
    return due_on is not None and done_on > due_on


def warning_of(
    cal: Calendar,
    due_on: date | None,
    due_at: datetime | None,
    now: datetime,
    today: date,
    warnings: Warnings,
) -> StepWarning | None:
    if due_at is not None:
        if now > due_at:
            return StepWarning.red
        return (
            StepWarning.yellow if due_at - now <= timedelta(hours=warnings.yellow_hours) else None
        )
    if due_on is None:
        return None
    left = working_days_left(cal, today, due_on).days
    if left < 0:
        return StepWarning.red
    return StepWarning.yellow if left <= warnings.yellow_working_days else None


def stage(steps: Sequence[StepState], closed: bool, archived: bool) -> str:
    """Where the case stands: ``archived``, ``closed``, else its first step not done yet
    (``closing`` when every step before archiving is done)."""
    if archived:
        return "archived"
    if closed:
        return "closed"
    for s in steps:
        if s.step != Step.archiving and s.status != StepStatus.done:
            return s.step.value
    return "closing"
