"""``anjuan calendar load YEAR FILE`` and ``anjuan calendar show YEAR``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from service.audit.models import AuditEntry
from service.calendar.service import calendar
from service.calendar.workdays import add_working_days
from service.cli import app
from service.db import make_engine, make_sessionmaker

runner = CliRunner()


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ANJUAN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ANJUAN_DATABASE_URL", database_url)
    return database_url


def _due(url: str) -> tuple[date, bool]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            due = add_working_days(calendar(s), date(2027, 2, 4), 3)
            return due.date, due.provisional
    finally:
        engine.dispose()


def _write(tmp_path: Path, payload: dict[str, Any]) -> Path:
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def test_loading_2027_from_the_command_line_makes_its_deadlines_final(
    env: str, tmp_path: Path, schedule_2027: dict[str, Any]
) -> None:
    assert _due(env) == (date(2027, 2, 15), True)
    path = _write(tmp_path, schedule_2027)
    result = runner.invoke(app, ["calendar", "load", "2027", str(path), "--notice", "国办通知"])
    assert result.exit_code == 0, result.output
    assert "calendar 2027 loaded" in result.output
    assert _due(env) == (date(2027, 2, 16), False)

    shown = runner.invoke(app, ["calendar", "show", "2027"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.output)
    assert (body["source"], body["loaded_by"], body["notice"]) == (
        "loaded",
        "cli:console",
        "国办通知",
    )
    engine = make_engine(env)
    with make_sessionmaker(engine)() as s:
        assert s.scalars(select(AuditEntry.action)).all() == ["calendar.load"]
    engine.dispose()


def test_the_command_line_refuses_a_wrong_schedule_naming_the_field(
    env: str, tmp_path: Path, schedule_2027: dict[str, Any]
) -> None:
    path = _write(tmp_path, {**schedule_2027, "workdays": ["2027-02-05"]})
    result = runner.invoke(app, ["calendar", "load", "2027", str(path)])
    assert result.exit_code == 2
    assert "workdays[0]: 2027-02-05 is also listed in holidays" in result.output
    path = _write(tmp_path, {"holidays": "2027-01-01"})
    result = runner.invoke(app, ["calendar", "load", "2027", str(path)])
    assert result.exit_code == 2 and "holidays:" in result.output
    path = _write(tmp_path, {"holidays": ["2100-01-01"]})
    result = runner.invoke(app, ["calendar", "load", "2100", str(path)])
    assert result.exit_code == 2 and "year: must be between 2004 and 2099" in result.output
    assert _due(env) == (date(2027, 2, 15), True)


def test_show_says_a_published_year_comes_from_chinesecalendar(env: str) -> None:
    result = runner.invoke(app, ["calendar", "show", "2026"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["source"] == "chinesecalendar"
