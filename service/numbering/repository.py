"""The one query of numbering: increment a sequence row inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.numbering.models import NumberSequence


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
