"""The object store the service uses: one S3 bucket, spoken to with the ``minio`` client.

Every write carries its SHA-256 (``x-amz-checksum-sha256``, verified by the store, and the
``sha256`` metadata entry) and is read back and hashed before ``put`` returns. minio and
urllib3 errors never leave this module: callers see the ``StorageError`` family only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

import certifi
import urllib3
from minio import Minio
from minio.datatypes import Object as MinioObject
from minio.deleteobjects import DeleteObject
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.helpers import MAX_PART_SIZE, MIN_PART_SIZE, DictType
from minio.retention import Retention
from urllib3.response import BaseHTTPResponse

from archive.objects import (
    ListedObject,
    LockMode,
    ObjectInfo,
    ObjectLocked,
    ObjectNotFound,
    ObjectRetention,
    S3EndpointLike,
    StorageError,
    StorageIntegrityError,
    StorageUnavailable,
    StoredObject,
    content_disposition,
    decode_metadata,
    encode_metadata,
)

SHA256_META = "sha256"
CHUNK_SIZE = 64 * 1024
_NOT_FOUND = {"NoSuchKey", "NoSuchVersion"}
_UNAVAILABLE = {"SlowDown", "ServiceUnavailable"}
_BAD_DIGEST = {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"}
# AWS says NoSuchObjectLockConfiguration; SeaweedFS says the bucket-level code even for an
# object without retention in a bucket that has object lock.
_NO_LOCK = {"NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError"}


class ObjectStore:
    """One bucket of an S3 store."""

    def __init__(
        self,
        endpoint: S3EndpointLike | str,
        bucket: str,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        secure: bool = False,
        region: str = "us-east-1",
        connect_timeout: float = 2.0,
        read_timeout: float = 30.0,
    ) -> None:
        if not isinstance(endpoint, str):
            access_key, secret_key = endpoint.access_key, endpoint.secret_key
            secure, region = endpoint.secure, endpoint.region
            endpoint = endpoint.endpoint
        self.bucket = bucket
        self.endpoint = endpoint
        # minio's default pool retries five times with long timeouts: a stopped server would
        # hang a request for minutes instead of failing fast enough to answer 503.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=urllib3.Retry(
                total=2, connect=2, read=0, redirect=0, status=0, other=0, backoff_factor=0.1
            ),
            maxsize=32,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        )
        self._client = Minio(
            endpoint, access_key, secret_key, secure=secure, region=region, http_client=http
        )

    def __repr__(self) -> str:
        return f"ObjectStore({self.endpoint!r}, {self.bucket!r})"

    def ensure_bucket(self, *, object_lock: bool = False) -> None:
        """Create the bucket if missing; with ``object_lock``, insist the bucket has it."""
        with _errors(self.bucket):
            if not self._client.bucket_exists(self.bucket):
                try:
                    self._client.make_bucket(self.bucket, object_lock=object_lock)
                    return
                except S3Error as exc:  # someone else created it meanwhile
                    if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                        raise
            if object_lock and not self._has_object_lock():
                raise StorageError(
                    f"bucket {self.bucket} exists without object lock, which cannot be added "
                    "later; archive it elsewhere or recreate it with object lock"
                )

    def ping(self) -> None:
        """Raise ``StorageError`` unless the store answers for this bucket (readiness)."""
        with _errors(self.bucket):
            if not self._client.bucket_exists(self.bucket):
                raise StorageError(f"bucket {self.bucket} does not exist")

    def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        metadata: Mapping[str, str] | None = None,
        retention: tuple[LockMode, datetime] | None = None,
        legal_hold: bool = False,
    ) -> StoredObject:
        """Store ``data`` under ``key`` and confirm the store holds exactly these bytes."""
        if len(data) > MAX_PART_SIZE:
            raise ValueError("objects over 5 GiB need a multipart upload, which put() avoids")
        digest = hashlib.sha256(data).digest()
        sha256 = digest.hex()
        meta = dict(metadata or {})
        claimed = meta.pop(SHA256_META, sha256)
        if claimed.lower() != sha256:
            raise StorageIntegrityError(f"{key}: metadata says sha256 {claimed}, data is {sha256}")
        checksum = base64.b64encode(digest).decode()
        headers: DictType = {
            **encode_metadata(meta | {SHA256_META: sha256}),
            "x-amz-checksum-sha256": checksum,
        }
        with _errors(key):
            result = self._client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata=headers,
                retention=_retention(retention) if retention else None,
                legal_hold=legal_hold,
                # One PUT: a multipart upload would need per-part checksums.
                part_size=max(len(data), MIN_PART_SIZE),
            )
        echoed = result.http_headers.get("x-amz-checksum-sha256")
        if echoed is not None and echoed != checksum:
            raise StorageIntegrityError(f"{key}: the store recorded checksum {echoed}")
        stored = self._sha256_of(key, result.version_id)
        if stored != sha256:
            raise StorageIntegrityError(
                f"{key} (version {result.version_id}) reads back as sha256 {stored}, "
                f"expected {sha256}"
            )
        return StoredObject(key, result.version_id, result.etag or "", sha256, len(data))

    def get(self, key: str, version_id: str | None = None) -> bytes:
        """The object's bytes."""
        with _errors(key):
            response = self._client.get_object(self.bucket, key, version_id=version_id)
            try:
                return response.read()
            finally:
                _release(response)

    def stream(
        self, key: str, version_id: str | None = None, *, chunk_size: int = CHUNK_SIZE
    ) -> Iterator[bytes]:
        """The object's bytes in chunks; a missing object raises here, not on first read."""
        with _errors(key):
            response = self._client.get_object(self.bucket, key, version_id=version_id)
        return _chunks(response, key, chunk_size)

    def stat(self, key: str, version_id: str | None = None) -> ObjectInfo:
        """Size, type, metadata and SHA-256 of the object (or one version)."""
        with _errors(key):
            st = self._client.stat_object(
                self.bucket,
                key,
                version_id=version_id,
                extra_headers={"x-amz-checksum-mode": "ENABLED"},
            )
        headers = st.metadata or {}
        metadata = decode_metadata(headers)
        claimed = metadata.pop(SHA256_META, None)
        # The checksum is what the store verified on upload; the metadata only what we claimed.
        checksum = headers.get("x-amz-checksum-sha256")
        sha256 = base64.b64decode(checksum).hex() if checksum else claimed
        return ObjectInfo(
            key=key,
            version_id=st.version_id,
            size=st.size or 0,
            etag=st.etag or "",
            last_modified=st.last_modified,
            content_type=st.content_type,
            sha256=sha256,
            metadata=metadata,
        )

    def exists(self, key: str) -> bool:
        """True when the object's latest version exists (and is not a delete marker)."""
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    def list(self, prefix: str = "") -> Iterator[ListedObject]:
        """Latest versions of the objects under ``prefix``, recursively, by key."""
        with _errors(prefix):
            for obj in self._client.list_objects(self.bucket, prefix=prefix, recursive=True):
                yield _listed(obj)

    def list_versions(self, prefix: str = "") -> Iterator[ListedObject]:
        """Every version and delete marker under ``prefix``."""
        with _errors(prefix):
            objects = self._client.list_objects(
                self.bucket, prefix=prefix, recursive=True, include_version=True
            )
            for obj in objects:
                yield _listed(obj)

    def presigned_get(
        self,
        key: str,
        *,
        expires: timedelta,
        version_id: str | None = None,
        filename: str | None = None,
    ) -> str:
        """A URL anyone can GET until ``expires``; with ``filename``, downloads as that name."""
        headers: DictType | None = None
        if filename:
            headers = {"response-content-disposition": content_disposition(filename)}
        with _errors(key):
            return self._client.presigned_get_object(
                self.bucket, key, expires=expires, response_headers=headers, version_id=version_id
            )

    def set_legal_hold(self, key: str, on: bool, version_id: str | None = None) -> None:
        """Place or release a legal hold on a version (the latest if none given)."""
        with _errors(key):
            if on:
                self._client.enable_object_legal_hold(self.bucket, key, version_id=version_id)
            else:
                self._client.disable_object_legal_hold(self.bucket, key, version_id=version_id)

    def get_legal_hold(self, key: str, version_id: str | None = None) -> bool:
        """True when the version is under legal hold."""
        with _errors(key):
            try:
                return self._client.is_object_legal_hold_enabled(
                    self.bucket, key, version_id=version_id
                )
            except S3Error as exc:
                if exc.code in _NO_LOCK | {"NoSuchObjectLegalHold"}:
                    return False
                raise

    def get_retention(self, key: str, version_id: str | None = None) -> ObjectRetention | None:
        """The version's retention, or None when it has none."""
        with _errors(key):
            try:
                found = self._client.get_object_retention(self.bucket, key, version_id=version_id)
            except S3Error as exc:
                if exc.code in _NO_LOCK:
                    return None
                raise
        if found is None or found.mode is None or found.retain_until_date is None:
            return None
        mode: LockMode = "COMPLIANCE" if found.mode == "COMPLIANCE" else "GOVERNANCE"
        return ObjectRetention(mode, found.retain_until_date)

    def set_retention(
        self, key: str, mode: LockMode, retain_until: datetime, version_id: str | None = None
    ) -> None:
        """Set or extend a version's retention; shortening a locked one raises ObjectLocked."""
        try:
            with _errors(key):
                self._client.set_object_retention(
                    self.bucket, key, _retention((mode, retain_until)), version_id=version_id
                )
        except StorageError as exc:
            raise self._explain_refusal(exc, key, version_id) from exc

    def delete(self, key: str) -> None:
        """Delete an object of an unversioned bucket (on a versioned one: a delete marker)."""
        with _errors(key):
            self._client.remove_object(self.bucket, key)

    def delete_version(self, key: str, version_id: str, *, bypass_governance: bool = False) -> None:
        """Permanently delete one version; ObjectLocked while it is held or retained."""
        with _errors(key):
            failures = list(
                self._client.remove_objects(
                    self.bucket,
                    [DeleteObject(key, version_id)],
                    bypass_governance_mode=bypass_governance,
                )
            )
        if failures:
            failure = failures[0]
            error = _from_code(failure.code, f"{key} ({version_id}): {failure.message}")
            raise self._explain_refusal(error, key, version_id)

    def _explain_refusal(
        self, error: StorageError, key: str, version_id: str | None
    ) -> StorageError:
        # Stores answer a lock refusal with a bare AccessDenied; ask why before blaming the lock.
        if error.code != "AccessDenied":
            return error
        reasons = []
        if self.get_legal_hold(key, version_id):
            reasons.append("it is under legal hold")
        retention = self.get_retention(key, version_id)
        if retention is not None and retention.retain_until > datetime.now(UTC):
            until = retention.retain_until.isoformat()
            reasons.append(f"it is retained ({retention.mode}) until {until}")
        if not reasons:
            return error
        return ObjectLocked(f"{key} ({version_id}): {' and '.join(reasons)}", code=error.code)

    def _has_object_lock(self) -> bool:
        try:
            self._client.get_object_lock_config(self.bucket)
        except S3Error as exc:
            if exc.code in _NO_LOCK:
                return False
            raise
        return True

    def _sha256_of(self, key: str, version_id: str | None) -> str:
        digest = hashlib.sha256()
        for chunk in self.stream(key, version_id):
            digest.update(chunk)
        return digest.hexdigest()


def _chunks(response: BaseHTTPResponse, key: str, chunk_size: int) -> Iterator[bytes]:
    try:
        with _errors(key):
            yield from response.stream(chunk_size)
    finally:
        _release(response)


def _release(response: BaseHTTPResponse) -> None:
    response.close()
    response.release_conn()


def _listed(obj: MinioObject) -> ListedObject:
    return ListedObject(
        key=obj.object_name or "",
        version_id=obj.version_id,
        size=obj.size or 0,
        etag=obj.etag,
        last_modified=obj.last_modified,
        is_latest=obj.is_latest in (None, "true"),
        is_delete_marker=obj.is_delete_marker,
    )


def _retention(retention: tuple[LockMode, datetime]) -> Retention:
    mode, until = retention
    if until.tzinfo is None:
        raise ValueError("retain-until must be timezone-aware")
    return Retention(mode, until)


def _from_code(code: str | None, message: str) -> StorageError:
    if code in _NOT_FOUND:
        return ObjectNotFound(message, code=code)
    if code in _UNAVAILABLE:
        return StorageUnavailable(message, code=code)
    if code in _BAD_DIGEST:
        return StorageIntegrityError(message, code=code)
    return StorageError(message, code=code)


@contextlib.contextmanager
def _errors(what: str) -> Iterator[None]:
    """Translate minio and urllib3 failures into the StorageError family."""
    try:
        yield
    except StorageError:
        raise
    except S3Error as exc:
        raise _from_code(exc.code, f"{what}: {exc.code}: {exc.message}") from exc
    except ServerError as exc:
        kind = StorageUnavailable if exc.status_code in {502, 503, 504} else StorageError
        raise kind(f"{what}: server error {exc.status_code}") from exc
    except InvalidResponseError as exc:  # something other than S3 answered
        raise StorageUnavailable(f"{what}: {exc}") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise StorageUnavailable(f"{what}: object storage unreachable: {exc}") from exc
