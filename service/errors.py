"""One error family: every domain error carries its HTTP status and a stable machine code.

Rendered by one handler as ``{"error": code, "detail": ...}``.
"""

from __future__ import annotations

from typing import Any

from archive.objects import ObjectNotFound, StorageError


class DomainError(Exception):
    """Base of every error the API reports on purpose."""

    status_code = 400
    code = "bad_request"

    def __init__(self, detail: Any = None, *, headers: dict[str, str] | None = None) -> None:
        self.detail = detail if detail is not None else self.__class__.__doc__
        self.headers = headers
        super().__init__(str(self.detail))


class NotFound(DomainError):
    """The resource does not exist."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The request conflicts with the current state."""

    status_code = 409
    code = "conflict"


class NotAuthenticated(DomainError):
    """Authentication is required."""

    status_code = 401
    code = "not_authenticated"

    def __init__(self, detail: Any = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    """Your role may not do this."""

    status_code = 403
    code = "forbidden"


class FieldError(DomainError):
    """The request has invalid fields."""

    status_code = 422
    code = "validation_error"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(problems)


class ServiceUnavailable(DomainError):
    """A backing service (object storage, PDF converter) is unavailable; retry later."""

    status_code = 503
    code = "service_unavailable"


def storage_error(exc: StorageError) -> DomainError:
    """The domain error a storage failure means to a client: 404 for a missing object, else
    503 (without the store's internal address)."""
    if isinstance(exc, ObjectNotFound):
        return NotFound("the stored file is missing")
    return ServiceUnavailable("object storage is unavailable; try again later")
