"""ASGI entry point for uvicorn/gunicorn: ``service.asgi:app``."""

from service.app import create_app

app = create_app()
