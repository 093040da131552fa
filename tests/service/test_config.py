"""Settings: safe development defaults, no usable secret defaults in production."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from service.config import Settings


def test_development_generates_and_keeps_a_secret(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).secret
    assert len(first) >= 32
    assert Settings(data_dir=tmp_path).secret == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    url = Settings(data_dir=tmp_path).resolved_database_url
    assert url == f"sqlite:///{(tmp_path / 'anjuan.sqlite3').resolve()}"


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ANJUAN_SECRET_KEY"):
        Settings(
            env="production",
            data_dir=tmp_path,
            database_url="postgresql://x/y",
            s3_endpoint="s3:9000",
            s3_access_key="a",
            s3_secret_key="b",
        )


def test_production_refuses_a_short_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="32"):
        Settings(
            env="production",
            secret_key="short",
            database_url="postgresql://x/y",
            s3_endpoint="s3:9000",
            s3_access_key="a",
            s3_secret_key="b",
        )


def test_production_needs_database_and_s3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANJUAN_ENV", "production")
    monkeypatch.setenv("ANJUAN_SECRET_KEY", "k" * 40)
    with pytest.raises(ValidationError, match="DATABASE_URL"):
        Settings()


def test_settings_come_from_anjuan_environment_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANJUAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANJUAN_AGENCY_CODE", "南湖")
    monkeypatch.setenv("ANJUAN_DOC_TYPE_CODES", '{"04": "谈通"}')
    s = Settings()
    assert s.data_dir == tmp_path and s.agency_code == "南湖"
    assert s.doc_type_codes == {"04": "谈通"}


PRODUCTION = {
    "env": "production",
    "secret_key": "k" * 40,
    "database_url": "postgresql://x/y",
    "s3_endpoint": "s3:9000",
    "s3_access_key": "a",
    "s3_secret_key": "b",
}


@pytest.mark.parametrize(
    "url",
    [
        None,
        "http://127.0.0.1:8000",
        "http://localhost",
        "http://0.0.0.0:8000",
        "http://[::1]:8000",
        "http://[::]:8000",
        "http://app.localhost",
    ],
)
def test_production_needs_a_public_base_url_for_the_qr_codes(url: str | None) -> None:
    extra = {} if url is None else {"public_base_url": url}
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL"):
        Settings(**PRODUCTION, **extra)  # type: ignore[arg-type]
    Settings(**PRODUCTION, public_base_url="https://anjuan.zhongcun.gov.cn")  # type: ignore[arg-type]
    Settings(**PRODUCTION, public_base_url="http://10.2.3.4:8000")  # type: ignore[arg-type]


def test_the_data_dir_and_its_secrets_are_private(tmp_path: Path) -> None:
    from service.data_dir import prepare_data_dir

    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    settings = Settings(data_dir=data)
    (data / "secret_key").write_text("x" * 48)
    (data / "secret_key").chmod(0o644)
    prepare_data_dir(settings)
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (data / "anjuan.sqlite3").stat().st_mode & 0o777 == 0o600


def test_the_archive_category_code_is_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings(data_dir=tmp_path).archive_category == "ZF"
    monkeypatch.setenv("ANJUAN_ARCHIVE_CATEGORY", "WS")
    assert Settings(data_dir=tmp_path).archive_category == "WS"
    for bad in ("zf", "Z-F", "执法", ""):
        monkeypatch.setenv("ANJUAN_ARCHIVE_CATEGORY", bad)
        with pytest.raises(ValidationError, match="archive_category"):
            Settings(data_dir=tmp_path)
