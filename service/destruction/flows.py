"""Destruction list transitions: one table; anything else is a 409."""

from __future__ import annotations

from enum import StrEnum

from service.destruction.models import ListStatus
from service.errors import Conflict


class ListAction(StrEnum):
    """What can happen to a destruction list."""

    approve = "approve"
    reject = "reject"
    confirm = "confirm"  # a supervisor's confirmation
    execute = "execute"


class IllegalListTransition(Conflict):
    """The list's status does not allow this."""

    code = "illegal_transition"


def next_list_status(current: ListStatus, action: ListAction) -> ListStatus:
    """The status after ``action``; 409 when the list's status does not allow it."""
    S, A = ListStatus, ListAction
    match (current, action):
        case (S.proposed, A.approve):
            return S.approved
        case (S.proposed, A.reject):
            return S.rejected
        case (S.approved, A.confirm):
            return S.approved
        # An execution cut short stays "executing"; running it again finishes the job.
        case (S.approved, A.execute) | (S.executing, A.execute):
            return S.executing
    raise IllegalListTransition(f"a destruction list that is {current} cannot {action}")
