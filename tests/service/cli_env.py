"""The environment an ``anjuan`` command needs to act on a test's runtime: its database, data
directory, secret and buckets on the test S3 server."""

from __future__ import annotations

import pytest

from archive.embedded_s3 import S3Endpoint
from service.runtime import Runtime


def cli_env(monkeypatch: pytest.MonkeyPatch, runtime: Runtime, ep: S3Endpoint) -> None:
    """Point ``Settings()`` (as the CLI reads it) at ``runtime`` and the S3 server ``ep``."""
    s = runtime.settings
    for name, value in {
        "ENV": "test",
        "DATA_DIR": str(s.data_dir),
        "DATABASE_URL": s.resolved_database_url,
        "SECRET_KEY": s.secret.decode(),
        "S3_ENDPOINT": ep.endpoint,
        "S3_ACCESS_KEY": ep.access_key,
        "S3_SECRET_KEY": ep.secret_key,
        "S3_BUCKET_DOCUMENTS": s.s3_bucket_documents,
        "S3_BUCKET_ARCHIVE": s.s3_bucket_archive,
    }.items():
        monkeypatch.setenv(f"ANJUAN_{name}", value)
