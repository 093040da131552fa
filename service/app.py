"""The FastAPI application."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service import __version__
from service.archives.views import router as archives_router
from service.audit.views import router as audit_router
from service.auth.admin_views import router as admin_router
from service.auth.views import router as auth_router
from service.batches.views import router as batches_router
from service.calendar.views import router as calendar_router
from service.cases.views import router as cases_router
from service.catalogue.views import router as templates_router
from service.config import Settings
from service.console.views import install_console
from service.db import transaction
from service.destruction.views import router as destruction_router
from service.documents.views import router as documents_router
from service.error_handlers import ErrorBody, error_response, install_error_handlers
from service.health import readiness
from service.jobs.views import router as jobs_router
from service.jobs.worker import BackgroundWorker
from service.materials.views import FORM_OVERHEAD, UPLOAD_PATH
from service.materials.views import router as materials_router
from service.middleware import BodyLimitMiddleware, RequestIdMiddleware, SecurityHeadersMiddleware
from service.openapi import install_docs, install_openapi
from service.process.views import router as process_router
from service.reports.views import router as reports_router
from service.reviews.views import router as reviews_router
from service.runtime import Runtime
from service.specimens.views import router as specimens_router
from service.statistics.views import router as statistics_router
from service.supervisor import Supervisor
from service.templates.service import MAX_TEMPLATE_BYTES, seed_builtins
from service.templates.views import TEMPLATE_UPLOAD_PATH
from service.templates.views import router as template_versions_router
from service.verify.views import router as verify_router
from service.webhooks.views import router as webhooks_router

log = logging.getLogger("anjuan")

DESCRIPTION = """\
Document generation and one-case-one-file archive for administrative interviews (行政约谈).

Authenticate with `POST /api/v1/auth/token` (OAuth2 password form) and send
`Authorization: Bearer …`, or send an `X-API-Key`. Every error body is
`{"error": "<code>", "detail": …, "request_id": …}`; validation errors (422) list
`{"field", "message", "type", "label"}` per problem, `label` being the field's Chinese name.
"""


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; without a ``runtime`` one is started (and stopped) with the app."""
    settings = settings or (runtime.settings if runtime else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = runtime is None
        rt = app.state.runtime = runtime or Runtime.start(settings)
        if owned:
            _seed_templates(rt)
        if owned and settings.pdf_warm_at_start and settings.jobs_in_serve:
            # Warm LibreOffice in the background so the first PDF does not wait for it.
            threading.Thread(target=_warm, args=(rt,), name="warm-converter", daemon=True).start()
        supervisor = Supervisor(rt) if owned else None
        if supervisor is not None:
            supervisor.start()
        # The embedded default runs its jobs here; production may leave them to `anjuan worker`.
        jobs = BackgroundWorker(rt) if settings.jobs_in_serve else None
        if jobs is not None:
            jobs.start()
        try:
            yield
        finally:
            if jobs is not None:
                jobs.stop()
            if supervisor is not None:
                supervisor.stop()
            if owned:
                rt.close()

    app = FastAPI(
        title="anjuan 行政约谈文书与档案服务",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by install_docs, from vendored assets
        redoc_url=None,
    )
    if runtime is not None:
        app.state.runtime = runtime
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        overrides=(
            ("POST", UPLOAD_PATH, settings.material_max_bytes + FORM_OVERHEAD),
            ("POST", TEMPLATE_UPLOAD_PATH, MAX_TEMPLATE_BYTES + FORM_OVERHEAD),
        ),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)
    for router in (
        auth_router,
        admin_router,
        templates_router,
        template_versions_router,
        cases_router,
        documents_router,
        process_router,
        materials_router,
        verify_router,
        audit_router,
        specimens_router,
        batches_router,
        jobs_router,
        webhooks_router,
        statistics_router,
        reviews_router,
        reports_router,
        calendar_router,
        destruction_router,
        archives_router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get(
        "/health/ready",
        tags=["health"],
        responses={503: {"model": ErrorBody, "description": "what is down, by name"}},
    )
    def ready(request: Request) -> JSONResponse:
        """Readiness: the database, the object store and the PDF converter answer; 503 naming
        whichever does not."""
        ok, checks = readiness(request.app.state.runtime)
        if ok:
            return JSONResponse({"status": "ready", "checks": checks})
        down = [name for name, state in checks.items() if not state.startswith("ok")]
        return error_response(
            request,
            503,
            "service_unavailable",
            {"message": f"not ready: {', '.join(down)} down", "down": down, "checks": checks},
        )

    install_docs(app)
    install_console(app)
    install_openapi(app)
    return app


def _seed_templates(runtime: Runtime) -> None:
    """The built-in template versions in the registry (a new release's become active where
    the office has not activated its own); issuing seeds a missing one itself."""
    try:
        with transaction(runtime.sessions) as session:
            seed_builtins(session, runtime.settings, runtime.documents)
    except Exception:  # the first document of each template seeds it again
        log.exception("could not seed the built-in template versions")


def _warm(runtime: Runtime) -> None:
    try:
        runtime.converter()
    except Exception:  # the first PDF request will report the problem
        log.exception("could not start the LibreOffice pool")
