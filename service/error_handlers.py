"""The error contract: every error is ``{"error": code, "detail": ..., "request_id": ...}``.

One handler per family, so that routes and services raise and never translate:
- ``DomainError`` — the status and code the error class carries (refusals are audited);
- ``StorageError`` — 503 ``service_unavailable`` (404 for a missing object), without the
  store's internal address, which goes to the log with the request id;
- request validation — 422 ``validation_error`` with one ``{field, message, type, label}``
  per problem, or 400 ``malformed_json`` when the body is not JSON at all;
- anything else — 500 ``internal_error`` with the request id, never a plain-text page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive.objects import StorageError
from service.audit.refusals import record_refusal
from service.errors import DomainError, storage_error
from service.middleware import security_headers
from service.validation import problems

log = logging.getLogger("anjuan.errors")


class ErrorBody(BaseModel):
    """Every error answer."""

    error: str = Field(description="Stable machine-readable code, e.g. `not_found`")
    detail: Any = Field(default=None, description="What went wrong, for people")
    request_id: str | None = Field(default=None, description="Quote it when reporting a fault")


class FieldProblem(BaseModel):
    """One invalid field."""

    field: str = Field(description="Path of the field, e.g. `data.items[0].deadline`")
    message: str
    type: str | None = Field(default=None, description="Machine-readable kind of problem")
    label: str | None = Field(default=None, description="The field's Chinese label (整改期限)")


class ValidationErrorBody(BaseModel):
    """422: the request has invalid fields, each named."""

    error: str = Field(description="`validation_error`")
    detail: list[FieldProblem]
    request_id: str | None = None


def request_id(request: Request) -> str | None:
    """The id the request-id middleware gave this request."""
    return getattr(request.state, "request_id", None)


def error_response(
    request: Request,
    status: int,
    code: str,
    detail: Any,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The JSON error answer, carrying the request id in the body and the header, and the
    security headers."""
    rid = request_id(request)
    out_headers = dict(headers or {})
    if rid:
        out_headers.setdefault("X-Request-ID", rid)
    response = JSONResponse(
        {"error": code, "detail": detail, "request_id": rid}, status, headers=out_headers
    )
    # The security headers here too: a 500 leaves by a way no middleware of ours sees.
    response.raw_headers = security_headers(request.url.path, response.raw_headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers of the error contract on ``app``."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        await run_in_threadpool(record_refusal, request, exc)
        return error_response(request, exc.status_code, exc.code, exc.detail, exc.headers)

    @app.exception_handler(StorageError)
    async def storage_failed(request: Request, exc: StorageError) -> JSONResponse:
        log.warning("object storage failed (request %s): %s", request_id(request), exc)
        return await domain_error(request, storage_error(exc))

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            detail = [{"field": "body", "message": e.get("msg", "invalid JSON")} for e in errors]
            return error_response(request, 400, "malformed_json", detail)
        model = _body_model(request)
        out = []
        for err in errors:
            loc = tuple(err.get("loc", ()))
            where, rest = (loc[0], loc[1:]) if loc else ("body", ())
            prefix: tuple[str, ...] = () if where == "body" else (str(where),)
            problem = problems(
                [{**err, "loc": rest}], model if where == "body" else None, prefix=prefix
            )[0]
            out.append(problem)
        return error_response(request, 422, "validation_error", out)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # Starlette's own parse failure: JSON nested too deep for the parser, bad bytes.
            code = "malformed_json"
        return error_response(request, exc.status_code, code, exc.detail, exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error (request %s)", request_id(request), exc_info=exc)
        return error_response(
            request,
            500,
            "internal_error",
            "an unexpected error occurred; quote the request id when reporting it",
        )


def _body_model(request: Request) -> type[BaseModel] | None:
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None)
    annotation = getattr(getattr(body_field, "field_info", None), "annotation", None)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )
