"""The long-lived parts of a running service: settings, database, object storage."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.embedded_s3 import EmbeddedS3, S3Endpoint, running_endpoint
from archive.objects import StorageError
from archive.storage import ObjectStore
from doc_templates.converter import ConverterPool
from doc_templates.fonts import fontconfig_env
from service.config import Settings
from service.data_dir import prepare_data_dir
from service.db import make_engine, make_sessionmaker

log = logging.getLogger("anjuan.runtime")

# After a SIGKILL the embedded store may first have to finish the old process and replay its
# volumes: a minute is not always enough.
S3_START_TIMEOUT = 180.0
BUCKET_TIMEOUT = 60.0


@dataclass
class Runtime:
    """What every request needs, built once at start-up and closed at shutdown."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    documents: ObjectStore
    archive: ObjectStore
    embedded: EmbeddedS3 | None = field(default=None)
    pool: ConverterPool | None = field(default=None)
    owns_pool: bool = field(default=True)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(
        cls,
        settings: Settings,
        *,
        endpoint: S3Endpoint | None = None,
        converter: ConverterPool | None = None,
    ) -> Runtime:
        """Open the database and object storage (starting the embedded S3 if configured)."""
        prepare_data_dir(settings)
        embedded: EmbeddedS3 | None = None
        if endpoint is None and settings.embedded_s3:
            # A command-line tool next to a running service uses the service's store.
            endpoint = running_endpoint((settings.data_dir / "s3").resolve())
        if endpoint is None:
            if settings.embedded_s3:
                embedded = EmbeddedS3(settings.data_dir / "s3")
                log.info("starting the embedded S3 store (waiting up to %.0f s)", S3_START_TIMEOUT)
                endpoint = embedded.start(timeout=S3_START_TIMEOUT)
            else:
                endpoint = external_endpoint(settings)
        try:
            engine = make_engine(settings.resolved_database_url)
            store = ObjectStore(endpoint, settings.s3_bucket_documents)
            archive = ObjectStore(endpoint, settings.s3_bucket_archive)
            _ensure_buckets(store, archive)
        except BaseException:
            if embedded is not None:
                embedded.stop()
            raise
        return cls(
            settings,
            engine,
            make_sessionmaker(engine),
            store,
            archive,
            embedded,
            pool=converter,
            owns_pool=converter is None,
        )

    def reconnect(self, endpoint: S3Endpoint) -> None:
        """Talk to the object store at ``endpoint`` from now on (after a restart elsewhere)."""
        if endpoint.endpoint != self.documents.endpoint:
            self.documents = ObjectStore(endpoint, self.settings.s3_bucket_documents)
            self.archive = ObjectStore(endpoint, self.settings.s3_bucket_archive)

    def converter(self) -> ConverterPool:
        """The warm LibreOffice pool, started on first use (a few seconds, once)."""
        with self._pool_lock:
            if self.pool is None:
                pool = ConverterPool(
                    self.settings.pdf_workers,
                    timeout=self.settings.pdf_timeout_seconds,
                    work_dir=self.settings.data_dir / "converter",
                    env=fontconfig_env(),
                )
                pool.start()
                self.pool = pool
            return self.pool

    def close(self) -> None:
        """Release connections, stop the converter and the embedded S3 server."""
        self.engine.dispose()
        if self.pool is not None and self.owns_pool:
            self.pool.close()
        if self.embedded is not None:
            self.embedded.stop()


def _ensure_buckets(documents: ObjectStore, archive: ObjectStore) -> None:
    """Create the buckets, waiting for a store that answers but is not ready yet (an S3
    gateway whose filer is still starting answers 500 for a few seconds)."""
    deadline = time.monotonic() + BUCKET_TIMEOUT
    while True:
        try:
            documents.ensure_bucket()
            archive.ensure_bucket(object_lock=True)
            return
        except StorageError as exc:
            if time.monotonic() > deadline or exc.code in ("AccessDenied", "InvalidAccessKeyId"):
                raise
            log.info("object storage not ready yet (%s); waiting", exc)
            time.sleep(1.0)


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
