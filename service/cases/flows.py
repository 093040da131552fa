"""Case status transitions: one table; anything else is a 409."""

from __future__ import annotations

from enum import StrEnum

from service.cases.models import CaseStatus
from service.errors import Conflict


class CaseAction(StrEnum):
    """What can happen to a case."""

    issue = "issue"  # issue a document
    file = "file"  # file a material (整改报告, photo, recording…)
    close = "close"
    archive = "archive"
    destroy = "destroy"


class IllegalTransition(Conflict):
    """The case's status does not allow this."""

    code = "illegal_transition"


def next_status(current: CaseStatus, action: CaseAction) -> CaseStatus:
    """The status after ``action``, or 409 when the case's status does not allow it."""
    S, A = CaseStatus, CaseAction
    match (current, action):
        case (S.open, A.issue):
            return S.open
        # Documents served after closure (e.g. proof of service of the penalty notice) are
        # supplements; an archived case takes them in by being archived again.
        case (S.closed, A.issue) | (S.archived, A.issue):
            return current
        # Materials likewise: the party's report may arrive after closure; a re-archive files it.
        case (S.open, A.file) | (S.closed, A.file) | (S.archived, A.file):
            return current
        case (S.open, A.close):
            return S.closed
        case (S.closed, A.archive) | (S.archived, A.archive):
            return S.archived
        case (S.archived, A.destroy):
            return S.destroyed
    raise IllegalTransition(f"a case that is {current} cannot {action}")
