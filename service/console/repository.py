"""The console's own queries (the rest it reads through the domain packages' repositories)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.cases.models import Case

MY_CASES_LIMIT = 200


def cases_of(session: Session, label: str, name: str) -> list[Case]:
    """Cases a person opened (``label``, e.g. ``user:wang``) or handles (``name``), newest
    first."""
    stmt = (
        select(Case)
        .where(or_(Case.created_by == label, Case.handler == name))
        .order_by(Case.id.desc())
        .limit(MY_CASES_LIMIT)
    )
    return list(session.scalars(stmt))


def recent_cases(session: Session) -> list[Case]:
    """The newest cases, for readers who handle none themselves."""
    return list(session.scalars(select(Case).order_by(Case.id.desc()).limit(MY_CASES_LIMIT)))
