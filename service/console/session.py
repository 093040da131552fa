"""The console's sign-in session: a signed cookie, no server-side table.

The cookie holds the user's id, their token generation (a password reset, a disabled account or
signing out raises it, which ends every session at once), the CSRF token of the session and
when it was signed in. It is re-signed on every page, so its signature's age is the idle time;
a session also ends after ``ABSOLUTE`` whatever happens.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from service.config import Settings

COOKIE = "anjuan_console"
PRE_COOKIE = "anjuan_console_pre"  # CSRF token of the sign-in form, before there is a session
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
PRE_AGE = timedelta(hours=2)
CSRF_FIELD = "csrf"


@dataclass(frozen=True)
class ConsoleSession:
    """What the cookie says."""

    user_id: int
    generation: int
    csrf: str
    signed_in_at: float


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret, salt=salt)


def secure_cookies(settings: Settings) -> bool:
    """Cookies are ``Secure`` everywhere but in development."""
    return settings.env != "development"


def load(request: Request, settings: Settings) -> ConsoleSession | None:
    """The session of this request: signed, not idle too long, not too old."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data: Any = _serializer(settings, "console-session").loads(
            raw, max_age=int(IDLE.total_seconds())
        )
        session = ConsoleSession(int(data["u"]), int(data["g"]), str(data["c"]), float(data["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if time.time() - session.signed_in_at > ABSOLUTE.total_seconds():
        return None
    return session


def new(user_id: int, generation: int) -> ConsoleSession:
    """A fresh session (new CSRF token) for a user who just signed in."""
    return ConsoleSession(user_id, generation, secrets.token_urlsafe(32), time.time())


def store(response: Response, settings: Settings, session: ConsoleSession) -> None:
    """Set (or refresh) the session cookie."""
    payload = {"u": session.user_id, "g": session.generation, "c": session.csrf}
    raw = _serializer(settings, "console-session").dumps({**payload, "t": session.signed_in_at})
    response.set_cookie(
        COOKIE,
        raw,
        max_age=int(IDLE.total_seconds()),
        httponly=True,
        secure=secure_cookies(settings),
        samesite="strict",
        path="/",
    )
    response.delete_cookie(PRE_COOKIE, path="/")


def clear(response: Response) -> None:
    """Forget the session in this browser."""
    response.delete_cookie(COOKIE, path="/")


def pre_token(request: Request, settings: Settings) -> str | None:
    """The sign-in form's CSRF token this browser holds, if still valid."""
    raw = request.cookies.get(PRE_COOKIE)
    if not raw:
        return None
    try:
        token: Any = _serializer(settings, "console-pre").loads(
            raw, max_age=int(PRE_AGE.total_seconds())
        )
    except BadSignature:
        return None
    return str(token)


def store_pre_token(response: Response, settings: Settings, token: str) -> None:
    """Give the browser the sign-in form's CSRF token (double submit, signed)."""
    response.set_cookie(
        PRE_COOKIE,
        _serializer(settings, "console-pre").dumps(token),
        max_age=int(PRE_AGE.total_seconds()),
        httponly=True,
        secure=secure_cookies(settings),
        samesite="strict",
        path="/",
    )


def expected_csrf(request: Request, settings: Settings) -> str | None:
    """The CSRF token a form of this browser must carry."""
    session = load(request, settings)
    return session.csrf if session is not None else pre_token(request, settings)


def csrf_ok(expected: str | None, given: object) -> bool:
    """Constant-time comparison of the form's token with the session's."""
    return (
        expected is not None
        and isinstance(given, str)
        and hmac.compare_digest(expected.encode(), given.encode())
    )
