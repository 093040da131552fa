"""``anjuan templates upload`` prints the draft's version and every finding and exits
non-zero on findings; ``anjuan templates activate`` refuses such a version listing each
finding, and makes a clean one active."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from archive.embedded_s3 import S3Endpoint
from service.cli import app
from service.db import transaction
from service.runtime import Runtime
from service.templates import repository
from service.templates.models import VersionStatus
from tests.service.cli_env import cli_env
from tests.service.templates import word_edits as word

runner = CliRunner()
SENTENCE = "受送达人收到上列文书后，请在下方签名并写明签收时间。"


def test_an_upload_with_findings_exits_1_and_cannot_be_activated(
    client: TestClient,
    runtime: Runtime,
    s3_endpoint: S3Endpoint,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cli_env(monkeypatch, runtime, s3_endpoint)
    broken = tmp_path / "05-broken.docx"
    broken.write_bytes(word.split_run_by_style(word.builtin("05"), "{{ doc.doc_no }}", 6))
    result = runner.invoke(app, ["templates", "upload", "05", str(broken), "--note", "加粗"])
    assert result.exit_code == 1, result.output
    assert "(draft)" in result.output and "[split-tag]" in result.output
    version = result.output.split()[2]

    refused = runner.invoke(app, ["templates", "activate", "05", version[:12]])
    assert refused.exit_code == 1
    assert "refused" in refused.output and "[split-tag]" in refused.output
    with transaction(runtime.sessions) as s:
        assert repository.get(s, "05", version).status == VersionStatus.draft  # type: ignore[union-attr]


def test_a_clean_upload_exits_0_and_activates(
    client: TestClient,
    runtime: Runtime,
    s3_endpoint: S3Endpoint,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cli_env(monkeypatch, runtime, s3_endpoint)
    clean = tmp_path / "05.docx"
    clean.write_bytes(word.reword(word.builtin("05"), SENTENCE, "请在下方签名并写明签收时间。"))
    result = runner.invoke(app, ["templates", "upload", "05", str(clean)])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output
    version = result.output.split()[2]
    assert (
        runner.invoke(app, ["templates", "upload", "05", str(clean)]).output.count(
            "uploaded before"
        )
        == 1
    )

    done = runner.invoke(app, ["templates", "activate", "05", version[:10]])
    assert done.exit_code == 0, done.output
    assert f"05 version {version} is active" in done.output
    with transaction(runtime.sessions) as s:
        assert repository.active(s, "05").version == version  # type: ignore[union-attr]
    listed = runner.invoke(app, ["templates", "list", "05"])
    assert listed.exit_code == 0 and f"{version[:16]} active  upload" in listed.output


def test_an_unknown_template_or_file_is_refused(
    client: TestClient,
    runtime: Runtime,
    s3_endpoint: S3Endpoint,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cli_env(monkeypatch, runtime, s3_endpoint)
    assert (
        runner.invoke(app, ["templates", "upload", "05", str(tmp_path / "no.docx")]).exit_code == 2
    )
    f = tmp_path / "x.docx"
    f.write_bytes(word.builtin("05"))
    assert runner.invoke(app, ["templates", "upload", "99", str(f)]).exit_code != 0
