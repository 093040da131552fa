"""The FastAPI application."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import __version__
from service.archives.views import router as archives_router
from service.audit.refusals import record_refusal
from service.audit.views import router as audit_router
from service.auth.views import router as auth_router
from service.batches.views import router as batches_router
from service.batches.worker import BatchWorkers
from service.calendar.views import router as calendar_router
from service.cases.views import router as cases_router
from service.catalogue.views import router as templates_router
from service.config import Settings
from service.destruction.views import router as destruction_router
from service.documents.views import router as documents_router
from service.errors import DomainError
from service.middleware import BodyLimitMiddleware, RequestIdMiddleware
from service.runtime import Runtime
from service.specimens.views import router as specimens_router
from service.validation import problems
from service.verify.views import router as verify_router

log = logging.getLogger("anjuan")

DESCRIPTION = """\
Document generation and one-case-one-file archive for administrative interviews (行政约谈).

Authenticate with `POST /api/v1/auth/token` (OAuth2 password form) and send
`Authorization: Bearer …`, or send an `X-API-Key`. Every 4xx body is
`{"error": "<code>", "detail": …}`; validation errors list
`{"field", "message", "label"}` per problem.
"""


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; without a ``runtime`` one is started (and stopped) with the app."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        rt = app.state.runtime = runtime or Runtime.start(settings)
        if owned and settings.pdf_warm_at_start:
            # Warm LibreOffice in the background so the first PDF does not wait for it.
            threading.Thread(target=_warm, args=(rt,), name="warm-converter", daemon=True).start()
        workers = app.state.batch_workers = BatchWorkers(rt, settings.batch_workers)
        workers.start()
        try:
            yield
        finally:
            workers.stop()
            if owned:
                rt.close()

    app = FastAPI(
        title="anjuan 行政约谈文书与档案服务",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    if runtime is not None:
        app.state.runtime = runtime
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    _install_error_handlers(app)
    for router in (
        auth_router,
        templates_router,
        cases_router,
        documents_router,
        verify_router,
        audit_router,
        specimens_router,
        batches_router,
        calendar_router,
        destruction_router,  # before archives: /archives/due must win over /archives/{no}
        archives_router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app


def _warm(runtime: Runtime) -> None:
    try:
        runtime.converter()
    except Exception:  # the first PDF request will report the problem
        log.exception("could not start the LibreOffice pool")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        await run_in_threadpool(record_refusal, request, exc)
        return JSONResponse(
            {"error": exc.code, "detail": exc.detail},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse({"error": "malformed_json", "detail": _jsonable(errors)}, 400)
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
        return JSONResponse({"error": "validation_error", "detail": out}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            {"error": code, "detail": exc.detail}, exc.status_code, headers=exc.headers
        )


def _body_model(request: Request) -> type[BaseModel] | None:
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None)
    annotation = getattr(getattr(body_field, "field_info", None), "annotation", None)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _jsonable(errors: list[Any]) -> list[dict[str, Any]]:
    return [{"field": "body", "message": e.get("msg", "invalid JSON")} for e in errors]
