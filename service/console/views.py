"""The console's routes, mounted on the service's app under ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.console import (
    admin_views,
    archive_views,
    audit_views,
    auth_views,
    case_views,
    destruction_views,
    review_views,
    stats_views,
    template_views,
)

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/console/static"
ROUTERS = (
    auth_views.router,
    case_views.router,
    archive_views.router,
    destruction_views.router,
    audit_views.router,
    stats_views.router,
    review_views.router,
    template_views.router,
    admin_views.router,
)


def install_console(app: FastAPI) -> None:
    """Add the console's pages and its vendored assets (htmx, the style sheet)."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="console-static")
