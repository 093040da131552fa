"""Reminders: the sweep that reports each step the moment it turns yellow or red — once, in
the audit trail and to the subscribed systems — however many processes sweep at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.audit.service import Actor, record
from service.auth.models import Role
from service.auth.security import Principal
from service.config import Settings
from service.db import transaction
from service.process import repository
from service.process.limits import STEP_LABELS, Step
from service.process.models import StepWarning
from service.process.warnings import Warned, due_value, warned
from service.webhooks.service import publish

REMINDER_ACTOR = Actor(Principal("system", 0, "reminders", Role.admin))
# what a step may have been reported as before, for each level to be reported now
REPORTED_BELOW: dict[StepWarning, list[str]] = {
    StepWarning.yellow: [],
    StepWarning.red: [StepWarning.yellow.value],
}


def _event(w: Warned) -> dict[str, Any]:
    due = due_value(w.step)
    return {
        "case_id": w.case.id,
        "case_no": w.case.case_no,
        "party": w.case.party_name,
        "section": w.case.section,
        "handler": w.case.handler,
        "step": w.step.step,
        "label": STEP_LABELS[Step(w.step.step)],
        "level": w.warning.value,
        "due": due.isoformat() if due is not None else None,
        "provisional": w.step.provisional,
    }


def sweep(sessions: sessionmaker[Session], settings: Settings) -> dict[str, Any]:
    """Report every open step newly yellow or newly red (a yellow one later turning red is
    reported again, as red). One transaction: the conditional update of the step's
    ``notified`` decides which process reports it (a concurrent sweep waits on the row, then
    finds it reported), and the audit entry and webhook deliveries commit with it."""
    with transaction(sessions) as session:
        found = warned(session, settings)
        # Every step's row first, in one order for every sweep, then the audit trail: a sweep
        # holding the audit trail's head never waits for a step's row, which a request holds
        # while it waits for the head itself (a deadlock on PostgreSQL otherwise).
        claimed = [
            w
            for w in sorted(found, key=lambda w: (w.step.case_id, w.step.step))
            if repository.mark_notified(
                session, w.step.case_id, w.step.step, w.warning.value, REPORTED_BELOW[w.warning]
            )
        ]
        reported = []
        for w in claimed:
            event = _event(w)
            record(session, REMINDER_ACTOR, "step.warning", "case", w.case.id, event)
            publish(session, f"step.{w.warning.value}", event)
            reported.append(event)
    return {"at": clock.now().isoformat(), "warned": len(found), "reported": reported}
