"""Shared fixtures: a real S3 server (SeaweedFS), real databases built by the migrations.

Every database test runs on SQLite and, when ``TEST_DATABASE_URL`` is set, on PostgreSQL too.
In CI (``CI=true``) an unreachable PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from archive.embedded_s3 import EmbeddedS3, S3Endpoint
from archive.storage import ObjectStore
from doc_templates.converter import ConverterPool
from doc_templates.fonts import fontconfig_env
from service.app import create_app
from service.auth.models import Role
from service.auth.service import create_api_key, create_user
from service.config import Settings
from service.db import make_engine, transaction
from service.migrate import upgrade
from service.models import Base
from service.runtime import Runtime

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery staple"


# --- object storage ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def embedded_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedS3]:
    """One real SeaweedFS ``weed mini`` for the whole run."""
    with EmbeddedS3(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture(scope="session")
def s3_endpoint(embedded_s3: EmbeddedS3) -> S3Endpoint:
    """Endpoint and keys of the session's S3 server."""
    return embedded_s3.endpoint


@pytest.fixture
def object_store(s3_endpoint: S3Endpoint) -> ObjectStore:
    """A store on a fresh, plain bucket (like the documents bucket)."""
    store = ObjectStore(s3_endpoint, f"test-{uuid.uuid4().hex[:16]}")
    store.ensure_bucket()
    return store


@pytest.fixture
def archive_store(s3_endpoint: S3Endpoint) -> ObjectStore:
    """A store on a fresh bucket with object lock (and so versioning), like the archive's."""
    store = ObjectStore(s3_endpoint, f"test-{uuid.uuid4().hex[:16]}")
    store.ensure_bucket(object_lock=True)
    return store


# --- LibreOffice ---------------------------------------------------------------------------


class LazyConverter:
    """One warm LibreOffice pool for the whole run, started by the first test that needs it."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.pool: ConverterPool | None = None
        self.lock = threading.Lock()

    def _started(self) -> ConverterPool:
        with self.lock:
            if self.pool is None:
                pool = ConverterPool(2, timeout=60, work_dir=self.work_dir, env=fontconfig_env())
                pool.start()
                self.pool = pool
            return self.pool

    def convert(self, docx: bytes, *, timeout: float | None = None) -> bytes:
        return self._started().convert(docx, timeout=timeout)

    @property
    def ready(self) -> bool:
        return self.pool.ready if self.pool is not None else True  # starts on first use

    def heal(self) -> None:
        if self.pool is not None:
            self.pool.heal()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


@pytest.fixture(scope="session")
def converter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LazyConverter]:
    """The run's shared warm LibreOffice pool."""
    lazy = LazyConverter(tmp_path_factory.mktemp("converter"))
    yield lazy
    lazy.close()


def missing_prerequisite(reason: str) -> NoReturn:
    """Something a test needs is not on this machine: a skip here, a failure in CI."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def prerequisite_missing() -> Callable[[str], NoReturn]:
    """``missing_prerequisite`` for test modules, which cannot import the conftest."""
    return missing_prerequisite


# --- databases -----------------------------------------------------------------------------


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_schema_url() -> Iterator[str]:
    """A private PostgreSQL schema for this run, built by the migrations."""
    assert TEST_DATABASE_URL
    admin = sa.create_engine(TEST_DATABASE_URL)
    schema = f"anjuan_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        if IN_CI:
            raise
        missing_prerequisite(f"PostgreSQL unreachable: {exc}")
    sep = "&" if "?" in TEST_DATABASE_URL else "?"
    url = f"{TEST_DATABASE_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# The job engine's tables (migration 0010), not in the models' metadata.
JOB_TABLES = [
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
]


def _reset_postgres(engine: Engine) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "audit_head"]
    tables += JOB_TABLES
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(sa.text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty, fully migrated database (SQLite, then PostgreSQL when configured)."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "anjuan.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("_pg_schema_url")
    engine = make_engine(url)
    _reset_postgres(engine)
    engine.dispose()
    yield url


# --- the service ---------------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Test settings: a temporary data dir and the database under test."""
    return Settings(
        env="test",
        data_dir=tmp_path / "var",
        database_url=database_url,
        secret_key=TEST_SECRET,  # type: ignore[arg-type]
        public_base_url="http://testserver",
        max_body_bytes=256 * 1024,
        # Jobs run where a test asks for them (the `jobs` fixture, or these settings with
        # jobs_in_serve=True); elsewhere they wait in the database, unseen.
        jobs_in_serve=False,
        job_poll_seconds=0.2,
        job_heartbeat_seconds=1.0,
        job_stalled_seconds=5.0,
        archive_wait_seconds=60.0,
    )


@pytest.fixture
def runtime(
    settings: Settings, s3_endpoint: S3Endpoint, converter: LazyConverter
) -> Iterator[Runtime]:
    """A runtime on the test database and a fresh document bucket."""
    settings = settings.model_copy(
        update={
            "s3_bucket_documents": f"docs-{uuid.uuid4().hex[:16]}",
            "s3_bucket_archive": f"arch-{uuid.uuid4().hex[:16]}",
        }
    )
    rt = Runtime.start(settings, endpoint=s3_endpoint, converter=converter)  # type: ignore[arg-type]
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    """An HTTP client for the app (no credentials)."""
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


AuthHeaders = Callable[[Role], dict[str, str]]


@pytest.fixture
def user_headers(runtime: Runtime, client: TestClient) -> AuthHeaders:
    """Make a user with a role, log in through the API, return its bearer header."""
    made: dict[Role, dict[str, str]] = {}

    def make(role: Role) -> dict[str, str]:
        if role not in made:
            name = f"{role.value}-{len(made)}"
            with transaction(runtime.sessions) as s:
                create_user(s, name, role, PASSWORD)
            r = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            made[role] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return made[role]

    return make


@pytest.fixture
def key_headers(runtime: Runtime) -> AuthHeaders:
    """Make an API key with a role, return its ``X-API-Key`` header."""
    made: dict[Role, dict[str, str]] = {}

    def make(role: Role) -> dict[str, str]:
        if role not in made:
            with transaction(runtime.sessions) as s:
                _, key = create_api_key(s, f"sys-{role.value}-{len(made)}", role)
            made[role] = {"X-API-Key": key}
        return made[role]

    return make


@pytest.fixture
def clerk(user_headers: AuthHeaders) -> dict[str, str]:
    """Bearer header of a clerk."""
    return user_headers(Role.clerk)
