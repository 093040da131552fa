"""Queries for cases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import Case


def get(session: Session, case_id: int, *, for_update: bool = False) -> Case | None:
    """The case with ``case_id`` (its row locked until commit with ``for_update``)."""
    return session.get(Case, case_id, with_for_update=for_update)


def get_by_external_ref(session: Session, client_id: str, external_ref: str) -> Case | None:
    """The case a client created under its own reference."""
    return session.scalar(
        select(Case).where(Case.client_id == client_id, Case.external_ref == external_ref)
    )
