"""Migration 0008 adds the calendar table alone, and takes it away again."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from service.db import make_engine
from service.migrate import downgrade, upgrade


def test_migration_0008_creates_and_drops_only_the_calendar_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        upgrade(engine, "0007")
        before = set(sa.inspect(engine).get_table_names())
        upgrade(engine, "0008")
        assert set(sa.inspect(engine).get_table_names()) - before == {"calendar_years"}
        downgrade(engine, "0007")
        assert set(sa.inspect(engine).get_table_names()) == before
    finally:
        engine.dispose()
