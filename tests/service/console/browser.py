"""A live service on a loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from service.app import create_app
from service.runtime import Runtime

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "console"
VIEWPORT = {"width": 1366, "height": 768}


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_service(runtime: Runtime) -> Iterator[str]:
    """Serve the app (on this runtime) with uvicorn in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live service did not start")
        time.sleep(0.05)
    try:
        # "localhost" is a secure context for Chromium, so the Secure session cookie is kept
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def shoot(page: Any, name: str) -> None:
    """Save what a 1366×768 laptop screen shows of the page as docs/console/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
