"""Fixtures of the archive tests (the S3 server itself comes from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest
from minio import Minio

from archive.embedded_s3 import S3Endpoint


@pytest.fixture
def s3_client(s3_endpoint: S3Endpoint) -> Minio:
    """A plain minio client, for asking the server things ObjectStore deliberately hides."""
    return Minio(
        s3_endpoint.endpoint,
        s3_endpoint.access_key,
        s3_endpoint.secret_key,
        secure=s3_endpoint.secure,
        region=s3_endpoint.region,
    )
