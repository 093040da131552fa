"""Allocate 案号 and 文号: unique and gap-free per agency, year (and template for 文号)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.config import Settings
from service.numbering.models import NumberSequence


@dataclass(frozen=True)
class Allocated:
    """A number handed out: its sequence value and the formatted string."""

    year: int
    seq: int
    text: str


def next_value(session: Session, scope: str, year: int) -> int:
    """Increment and return the sequence for ``scope``/``year`` (row stays locked to commit)."""
    stmt: Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(NumberSequence).values(scope=scope, year=year, value=1)
        stmt = pg.on_conflict_do_update(
            index_elements=["scope", "year"], set_={"value": NumberSequence.value + 1}
        )
    else:
        lite = sqlite.insert(NumberSequence).values(scope=scope, year=year, value=1)
        stmt = lite.on_conflict_do_update(
            index_elements=["scope", "year"], set_={"value": NumberSequence.value + 1}
        )
    value = session.execute(stmt.returning(NumberSequence.value)).scalar_one()
    return int(value)


def allocate_case_no(session: Session, settings: Settings, year: int) -> Allocated:
    """Next 案号 for the configured agency in ``year``."""
    seq = next_value(session, f"case:{settings.agency_code}", year)
    text = settings.case_no_pattern.format(agency_code=settings.agency_code, year=year, seq=seq)
    return Allocated(year, seq, text)


def allocate_doc_no(
    session: Session, settings: Settings, template_code: str, year: int
) -> Allocated:
    """Next 文号 for ``template_code`` in ``year``."""
    seq = next_value(session, f"doc:{settings.agency_code}:{template_code}", year)
    type_code = settings.doc_type_codes.get(template_code, template_code)
    text = settings.doc_no_pattern.format(
        agency_code=settings.agency_code, type_code=type_code, year=year, seq=seq
    )
    return Allocated(year, seq, text)
