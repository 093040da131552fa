"""Log-in: OAuth2 password form → bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from service.audit.service import Actor
from service.auth import service
from service.auth.security import create_access_token
from service.deps import ReadSessionDep, SettingsDep, authorize
from service.errors import NotAuthenticated

router = APIRouter(prefix="/api/v1", tags=["auth"])


class Token(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    """Who the caller is."""

    kind: str
    name: str
    role: str


@router.post("/auth/token", response_model=Token)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: ReadSessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange a username and password for a bearer token."""
    user = service.authenticate_password(session, form.username, form.password)
    if user is None:
        raise NotAuthenticated("wrong username or password")
    minutes = settings.access_token_minutes
    return Token(
        access_token=create_access_token(settings.secret, user.id, minutes),
        expires_in=minutes * 60,
    )


@router.get("/me", response_model=Me)
def me(actor: Annotated[Actor, Depends(authorize("me.read"))]) -> Me:
    """The authenticated caller and its role."""
    p = actor.principal
    return Me(kind=p.kind, name=p.name, role=p.role.value)
