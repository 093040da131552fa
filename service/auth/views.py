"""Sign-in (OAuth2 password form → bearer token), who am I, change my password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from service.audit.service import Actor
from service.auth import admin
from service.auth.login import Attempt, sign_in
from service.auth.schemas import Me, PasswordChange, Token
from service.auth.security import create_access_token
from service.deps import RuntimeDep, SessionDep, SettingsDep, authorize
from service.openapi import errors
from service.schemas import SafeText

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/token", response_model=Token, responses=errors(401, 429))
def login(
    username: Annotated[SafeText, Form(min_length=1, max_length=64, description="用户名")],
    password: Annotated[SafeText, Form(min_length=1, max_length=128, description="密码")],
    request: Request,
    runtime: RuntimeDep,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> Token:
    """Exchange a username and password for a bearer token.

    Repeated failures lock the account (and the client address) for a while: 429 with
    ``Retry-After``. Every attempt is in the audit trail.
    """
    settings = runtime.settings
    attempt = Attempt(
        username=username,
        client_addr=request.client.host if request.client else None,
        request_id=getattr(request.state, "request_id", None),
    )
    user = sign_in(runtime.sessions, settings.login_policy, attempt, password)
    minutes = settings.access_token_minutes
    return Token(
        access_token=create_access_token(settings.secret, user.id, user.token_generation, minutes),
        expires_in=minutes * 60,
    )


@router.get("/me", response_model=Me)
def me(actor: Annotated[Actor, Depends(authorize("me.read"))]) -> Me:
    """The authenticated caller and its role."""
    p = actor.principal
    return Me(kind=p.kind, name=p.name, role=p.role.value)


@router.post("/me/password", status_code=204, responses=errors(409))
def change_password(
    body: PasswordChange,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("me.password"))],
) -> None:
    """Change your own password; every token you hold ends, so sign in again."""
    admin.change_own_password(
        session, actor, body.current_password, body.new_password, settings.agency_name
    )
