"""Signing in and out of the console."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from service.audit.service import record
from service.auth import service as auth_service
from service.auth.login import Attempt, TooManyAttempts, sign_in
from service.console import session as cookie
from service.console.deps import ConsoleRoute, SignedIn, error_page
from service.console.pages import home_for, render
from service.db import transaction
from service.deps import RuntimeDep
from service.errors import NotAuthenticated
from service.schemas import OptionalSafeText, SafeText

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site (never ``//host`` or a scheme) may follow sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/login")
def login_page(
    request: Request,
    runtime: RuntimeDep,
    next: Annotated[OptionalSafeText, Query(max_length=500)] = None,
) -> Response:
    """The sign-in form."""
    return _form(request, runtime, next, None, 200)


def _form(
    request: Request, runtime: RuntimeDep, next_: str | None, error: str | None, status: int
) -> Response:
    # the token a form of this browser must carry: its session's, else the sign-in form's
    token = cookie.expected_csrf(request, runtime.settings) or secrets.token_urlsafe(32)
    request.state.console_csrf = token
    response = render(
        request, "login.html", {"next": _safe_next(next_) or "", "error": error}, status
    )
    cookie.store_pre_token(response, runtime.settings, token)
    return response


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    username: Annotated[SafeText, Form(max_length=64)] = "",
    password: Annotated[SafeText, Form(max_length=128)] = "",
    next: Annotated[SafeText, Form(max_length=500)] = "",
) -> Response:
    """Check the password (throttled per account and address, every attempt audited)."""
    if not username or not password:
        return _form(request, runtime, next, "请输入用户名和密码。", 400)
    attempt = Attempt(
        username=username,
        client_addr=request.client.host if request.client else None,
        request_id=getattr(request.state, "request_id", None),
    )
    try:
        user = sign_in(runtime.sessions, runtime.settings.login_policy, attempt, password)
    except TooManyAttempts as exc:
        response = error_page(request, exc)
        return response
    except NotAuthenticated:
        return _form(request, runtime, next, "用户名或密码不正确。", 401)
    s = cookie.new(user.id, user.token_generation)
    response = RedirectResponse(_safe_next(next) or home_for(user.role), status_code=303)
    cookie.store(response, runtime.settings, s)
    return response


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep, user: SignedIn) -> Response:
    """Sign out: the session ends here and, by a raised token generation, everywhere."""
    with transaction(runtime.sessions) as db:
        auth_service.revoke_tokens(db, user.name)
        record(db, user.actor, "console.logout", "user", user.name, {})
    response = RedirectResponse("/login", status_code=303)
    cookie.clear(response)
    request.state.console_session = None
    return response


@router.get("/")
def home(user: SignedIn) -> Response:
    """Each role lands on its own work queue."""
    return RedirectResponse(home_for(user.role), status_code=303)


@router.get("/welcome")
def welcome(request: Request, user: SignedIn) -> Response:
    """The page of a role without a queue of its own."""
    return render(request, "welcome.html")
