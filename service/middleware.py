"""ASGI middleware: request ids and the request-body size limit."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestIdMiddleware:
    """Give every request an id (or keep a sane ``X-Request-ID``) and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` with 413, by their ``Content-Length`` or, for a chunked
    body, by reading it first (up to the limit) and only then handing it to the app — a
    failure raised while the app reads would come out as Starlette's 400 instead."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        overrides: tuple[tuple[str, re.Pattern[str], int], ...] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides  # (method, path pattern, limit): uploads of large files

    def _limit(self, scope: Scope) -> int:
        for method, path, limit in self.overrides:
            if scope.get("method") == method and path.fullmatch(scope.get("path", "")):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if length.isdigit() and int(length) > max_bytes:
                await _send_413(scope, send, max_bytes)
                return
            await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                await _send_413(scope, send, max_bytes)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


async def _send_413(scope: Scope, send: Send, max_bytes: int) -> None:
    body: dict[str, Any] = {
        "error": "payload_too_large",
        "detail": f"the request body is over {max_bytes} bytes",
        "request_id": scope.get("state", {}).get("request_id"),
    }
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(raw)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})


# What every answer carries. An API answer (JSON, files) needs no script, style or frame at
# all; pages that do (the docs, the console) set their own Content-Security-Policy.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
STATIC_PREFIX = "/static/"
DEFAULT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def security_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with every security header they lack added (none is ever replaced)."""
    present = {name.lower() for name, _ in headers}
    extra = [h for h in SECURITY_HEADERS if h[0] not in present]
    if b"content-security-policy" not in present:
        extra.append((b"content-security-policy", DEFAULT_CSP))
    if not path.startswith(STATIC_PREFIX) and b"cache-control" not in present:
        extra.append((b"cache-control", b"no-store"))
    return headers + extra


class SecurityHeadersMiddleware:
    """Security headers on every response; ``Cache-Control: no-store`` on everything but the
    static assets, since answers carry case data and files that no cache should keep.

    A 500 is made outside every middleware (by Starlette's outermost ``ServerErrorMiddleware``),
    so ``error_response`` adds the same headers itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = security_headers(path, list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)
