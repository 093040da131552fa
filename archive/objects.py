"""What the object store deals in: its errors, the objects it reports, user metadata encoding.

``archive.storage.ObjectStore`` raises and returns these; callers import them from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple, Protocol
from urllib.parse import quote, unquote

LockMode = Literal["GOVERNANCE", "COMPLIANCE"]

_META_PREFIX = "x-amz-meta-"
_META_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
_META_SAFE = "-_.~:/+=@,"


class StorageError(Exception):
    """Object storage failed or refused; ``code`` is the S3 error code when there is one."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class StorageUnavailable(StorageError):
    """The store cannot be reached (refused, timed out, overloaded): worth a 503."""


class ObjectNotFound(StorageError):
    """No such object or version."""


class ObjectLocked(StorageError):
    """The store refused because of a legal hold or an unexpired retention period."""


class StorageIntegrityError(StorageError):
    """The stored bytes do not hash to the expected SHA-256."""


class S3EndpointLike(Protocol):
    """Anything that says where an S3 server is (``archive.embedded_s3.S3Endpoint``)."""

    @property
    def endpoint(self) -> str: ...
    @property
    def access_key(self) -> str: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def secure(self) -> bool: ...
    @property
    def region(self) -> str: ...


@dataclass(frozen=True)
class StoredObject:
    """What ``put`` wrote."""

    key: str
    version_id: str | None
    etag: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ObjectInfo:
    """An object's (or one version's) size, type, metadata and SHA-256 as the store reports."""

    key: str
    version_id: str | None
    size: int
    etag: str
    last_modified: datetime | None
    content_type: str | None
    sha256: str | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListedObject:
    """One entry of a listing; ``list`` gives latest versions only, without version ids."""

    key: str
    version_id: str | None
    size: int
    etag: str | None
    last_modified: datetime | None
    is_latest: bool = True
    is_delete_marker: bool = False


class ObjectRetention(NamedTuple):
    """A version's retention: the mode and the moment it ends."""

    mode: LockMode
    retain_until: datetime


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """An attachment ``Content-Disposition`` with an ASCII fallback and the RFC 5987 UTF-8 name."""
    fallback = fallback or "".join(
        c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def encode_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """User metadata as ASCII ``x-amz-meta-*`` headers (values percent-encoded as UTF-8)."""
    headers = {}
    for key, value in metadata.items():
        if not _META_KEY.fullmatch(key):
            raise ValueError(f"metadata key {key!r} must be lower-case ASCII letters, digits, '-'")
        headers[_META_PREFIX + key] = quote(value, safe=_META_SAFE)
    return headers


def decode_metadata(headers: Mapping[str, str]) -> dict[str, str]:
    """The user metadata in response headers, decoded back to text."""
    return {
        name.lower().removeprefix(_META_PREFIX): unquote(value)
        for name, value in headers.items()
        if name.lower().startswith(_META_PREFIX)
    }
