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


def test_users_add_refuses_a_trivial_password_and_a_markup_username(env: str) -> None:
    trivial = runner.invoke(
        app, ["users", "add", "li", "--role", "clerk", "--password-stdin"], input=" " * 10 + "\n"
    )
    assert trivial.exit_code == 2 and "password" in trivial.output
    markup = runner.invoke(
        app,
        ["users", "add", "<b>li</b>", "--role", "clerk", "--password-stdin"],
        input="a-long-password-1\n",
    )
    assert markup.exit_code == 2 and "username" in markup.output


def test_users_disable_enable_set_role_and_reset_password_are_audited(env: str) -> None:
    add = ["users", "add", "li", "--role", "clerk", "--password-stdin"]
    assert runner.invoke(app, add, input="a-long-password-1\n").exit_code == 0
    assert runner.invoke(app, ["users", "disable", "li"]).exit_code == 0
    with _session(env) as s:
        user = s.scalars(select(User)).one()
        assert not user.active and user.token_generation == 1
    assert runner.invoke(app, ["users", "enable", "li"]).exit_code == 0
    assert runner.invoke(app, ["users", "set-role", "li", "legal"]).exit_code == 0
    reset = runner.invoke(app, ["users", "reset-password", "li"])
    assert reset.exit_code == 0 and "shown once" in reset.output
    generated = reset.output.rsplit(": ", 1)[1].strip()
    assert runner.invoke(app, ["users", "disable", "nobody"]).exit_code == 2
    with _session(env) as s:
        user = s.scalars(select(User)).one()
        assert user.active and user.role == Role.legal and user.token_generation == 2
        assert verify_password(generated, user.password_hash)
        assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all() == [
            "user.create",
            "user.disable",
            "user.enable",
            "user.role",
            "user.password_reset",
        ]


def test_keys_revoke_deactivates_the_key(env: str) -> None:
    assert runner.invoke(app, ["keys", "create", "case-system", "--role", "system"]).exit_code == 0
    assert runner.invoke(app, ["keys", "revoke", "case-system"]).exit_code == 0
    with _session(env) as s:
        key = s.scalars(select(ApiKey)).one()
        assert not key.active and key.revoked_by == "cli:console"


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
