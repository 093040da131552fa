"""红黄牌: open steps with a yellow or red warning across cases, and the sections with three
overdue steps in a row (连续三次超期, which reference 000 requires to be reported)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.calendar.service import calendar
from service.calendar.workdays import add_working_days
from service.cases.models import Case
from service.config import Settings
from service.process import repository
from service.process.limits import STEP_LABELS, Step
from service.process.models import CaseStep, StepStatus, StepWarning
from service.process.steps import Warnings, warning_of

IN_A_ROW = 3


@dataclass(frozen=True)
class Warned:
    """An open step with its warning."""

    step: CaseStep
    case: Case
    warning: StepWarning


def warned(
    session: Session,
    settings: Settings,
    *,
    section: str | None = None,
    handler: str | None = None,
    level: StepWarning | None = None,
) -> list[Warned]:
    """Open steps that are yellow or red now (``level``: only those)."""
    cal = calendar(session)
    today, now = clock.today(), clock.now()
    rules = Warnings(settings.yellow_working_days, settings.yellow_hours)
    boundary = (
        add_working_days(cal, today, rules.yellow_working_days).date
        if rules.yellow_working_days
        else today
    )
    rows = repository.warned_steps(
        session, boundary, now + timedelta(hours=rules.yellow_hours), section, handler
    )
    out = []
    for step, case in rows:
        warning = warning_of(cal, step.due_on, step.due_at, now, today, rules)
        if warning is not None and (level is None or warning == level):
            out.append(Warned(step, case, warning))
    return out


def flagged_sections(session: Session, today: date) -> list[dict[str, Any]]:
    """Sections whose steps fell due late three (or more) times in a row, judged in the order
    the steps fell due; each with its longest such run."""
    out = []
    rows = repository.due_steps_by_section(session, today)
    for section, group in groupby(rows, key=lambda r: r[1].section):
        run: list[tuple[CaseStep, Case]] = []
        longest: list[tuple[CaseStep, Case]] = []
        for step, case in group:
            late = step.done_late or (
                step.status == StepStatus.open and step.due_on is not None and step.due_on < today
            )
            run = [*run, (step, case)] if late else []
            if len(run) > len(longest):
                longest = run
        if section and len(longest) >= IN_A_ROW:
            out.append(
                {
                    "section": section,
                    "overdue_in_a_row": len(longest),
                    "steps": [
                        {
                            "case_no": case.case_no,
                            "step": step.step,
                            "label": STEP_LABELS[Step(step.step)],
                            "due_on": step.due_on.isoformat() if step.due_on else None,
                            "done_on": step.done_on.isoformat() if step.done_on else None,
                        }
                        for step, case in longest
                    ],
                }
            )
    return out


def due_value(step: CaseStep) -> date | datetime | None:
    """A step's due date, or its due time when it is counted in hours."""
    return step.due_at if step.due_at is not None else step.due_on
