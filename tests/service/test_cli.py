"""The ``anjuan`` command line: users, keys, migrations, offline specimen rendering."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from doc_templates.samples import sample_data
from service.audit.models import AuditEntry
from service.auth.models import ApiKey, Role, User
from service.auth.security import hash_api_key, verify_password
from service.cli import app
from service.db import make_engine, make_sessionmaker

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ANJUAN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ANJUAN_DATABASE_URL", url)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return url


def _session(url: str):
    return make_sessionmaker(make_engine(url))()


def test_users_add_reads_the_password_from_stdin(env: str) -> None:
    result = runner.invoke(
        app,
        ["users", "add", "li", "--role", "archivist", "--password-stdin"],
        input="a-long-password-1\n",
    )
    assert result.exit_code == 0, result.output
    with _session(env) as s:
        user = s.scalars(select(User)).one()
        assert (user.username, user.role) == ("li", Role.archivist)
        assert verify_password("a-long-password-1", user.password_hash)
        assert s.scalars(select(AuditEntry.action)).all() == ["user.create"]


def test_users_add_refuses_a_short_password(env: str) -> None:
    result = runner.invoke(
        app, ["users", "add", "li", "--role", "clerk", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0


def test_keys_create_prints_the_key_once_and_stores_its_hash(env: str) -> None:
    result = runner.invoke(app, ["keys", "create", "case-system", "--role", "system"])
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    with _session(env) as s:
        record = s.scalars(select(ApiKey)).one()
        assert record.key_hash == hash_api_key(key) and record.role == Role.system


def test_render_writes_a_specimen_docx(env: str, tmp_path: Path) -> None:
    data = tmp_path / "07.json"
    data.write_text(json.dumps(sample_data("07"), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "07.docx"
    result = runner.invoke(app, ["render", "07", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        assert "样本" in z.read("word/document.xml").decode() + "".join(
            z.read(n).decode() for n in z.namelist() if n.startswith("word/header")
        )


def test_render_rejects_an_unknown_template(env: str, tmp_path: Path) -> None:
    data = tmp_path / "x.json"
    data.write_text("{}")
    result = runner.invoke(app, ["render", "99", str(data), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code != 0
