"""The long-lived parts of a running service: settings, database, object storage."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.embedded_s3 import EmbeddedS3, S3Endpoint
from archive.storage import ObjectStore
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.db import make_engine, make_sessionmaker


@dataclass
class Runtime:
    """What every request needs, built once at start-up and closed at shutdown."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    documents: ObjectStore
    embedded: EmbeddedS3 | None = field(default=None)

    @classmethod
    def start(cls, settings: Settings, *, endpoint: S3Endpoint | None = None) -> Runtime:
        """Open the database and object storage (starting the embedded S3 if configured)."""
        embedded: EmbeddedS3 | None = None
        if endpoint is None:
            if settings.embedded_s3:
                embedded = EmbeddedS3(settings.data_dir / "s3")
                endpoint = embedded.start()
            else:
                endpoint = external_endpoint(settings)
        try:
            engine = make_engine(settings.resolved_database_url)
            store = ObjectStore(endpoint, settings.s3_bucket_documents)
            store.ensure_bucket()
        except BaseException:
            if embedded is not None:
                embedded.stop()
            raise
        return cls(settings, engine, make_sessionmaker(engine), store, embedded)

    def close(self) -> None:
        """Release connections and stop the embedded S3 server (waiting for it to exit)."""
        self.engine.dispose()
        if self.embedded is not None:
            self.embedded.stop()


def external_endpoint(settings: Settings) -> S3Endpoint:
    """The S3 endpoint given in settings."""
    assert settings.s3_endpoint is not None
    return S3Endpoint(
        endpoint=settings.s3_endpoint,
        access_key=settings.s3_access_key or "",
        secret_key=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else "",
        secure=settings.s3_secure,
        region=settings.s3_region,
    )
