"""HTTP routes for administrators: users and API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from service.audit.service import Actor
from service.auth import admin, repository
from service.auth.schemas import (
    KeyCreate,
    KeyIssued,
    KeyOut,
    PasswordReset,
    RoleChange,
    UserCreate,
    UserCreated,
    UserOut,
)
from service.deps import ReadSessionDep, SessionDep, SettingsDep, authorize
from service.openapi import errors
from service.schemas import SafeText

router = APIRouter(prefix="/api/v1", tags=["administration"])
ManageUsers = Annotated[Actor, Depends(authorize("users.manage"))]
ManageKeys = Annotated[Actor, Depends(authorize("keys.manage"))]
UserName = Annotated[SafeText, Path(min_length=1, max_length=64, description="用户名")]
KeyName = Annotated[SafeText, Path(min_length=1, max_length=64, description="API key name")]


@router.get("/users", response_model=list[UserOut])
def list_users(session: ReadSessionDep, _: ManageUsers) -> list[UserOut]:
    """Every user."""
    return [UserOut.model_validate(u) for u in repository.users(session)]


@router.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserCreated, responses=errors(409)
)
def create_user(
    body: UserCreate, session: SessionDep, settings: SettingsDep, actor: ManageUsers
) -> UserCreated:
    """Add a user; a generated password is answered once."""
    user, generated = admin.add_user(
        session, actor, body.username, body.role, body.password, settings.agency_name
    )
    return UserCreated(**UserOut.model_validate(user).model_dump(), password=generated)


@router.post("/users/{username}/disable", response_model=UserOut, responses=errors(409))
def disable_user(username: UserName, session: SessionDep, actor: ManageUsers) -> UserOut:
    """Disable a user: their tokens stop working on the next request."""
    return UserOut.model_validate(admin.set_active(session, actor, username, False))


@router.post("/users/{username}/enable", response_model=UserOut)
def enable_user(username: UserName, session: SessionDep, actor: ManageUsers) -> UserOut:
    """Enable a disabled user again."""
    return UserOut.model_validate(admin.set_active(session, actor, username, True))


@router.post("/users/{username}/role", response_model=UserOut, responses=errors(409))
def change_role(
    username: UserName, body: RoleChange, session: SessionDep, actor: ManageUsers
) -> UserOut:
    """Give a user another role."""
    return UserOut.model_validate(admin.set_role(session, actor, username, body.role))


@router.post("/users/{username}/password", response_model=UserCreated)
def reset_password(
    username: UserName,
    body: PasswordReset,
    session: SessionDep,
    settings: SettingsDep,
    actor: ManageUsers,
) -> UserCreated:
    """Reset a user's password (generated and answered once when none is given); their
    tokens stop working."""
    user, generated = admin.reset_password(
        session, actor, username, body.password, settings.agency_name
    )
    return UserCreated(**UserOut.model_validate(user).model_dump(), password=generated)


@router.post("/users/{username}/revoke-tokens", response_model=UserOut)
def revoke_tokens(username: UserName, session: SessionDep, actor: ManageUsers) -> UserOut:
    """End every bearer token the user holds now."""
    return UserOut.model_validate(admin.revoke_tokens(session, actor, username))


@router.get("/keys", response_model=list[KeyOut])
def list_keys(session: ReadSessionDep, _: ManageKeys) -> list[KeyOut]:
    """Every API key (never the key itself)."""
    return [KeyOut.model_validate(k) for k in repository.api_keys(session)]


@router.post(
    "/keys", status_code=status.HTTP_201_CREATED, response_model=KeyIssued, responses=errors(409)
)
def create_key(body: KeyCreate, session: SessionDep, actor: ManageKeys) -> KeyIssued:
    """Add an API key for another system; the key is answered this once."""
    key, secret = admin.add_key(session, actor, body.name, body.role)
    return KeyIssued(**KeyOut.model_validate(key).model_dump(), key=secret)


@router.post("/keys/{name}/revoke", response_model=KeyOut)
def revoke_key(name: KeyName, session: SessionDep, actor: ManageKeys) -> KeyOut:
    """Revoke an API key: the next request with it is refused."""
    return KeyOut.model_validate(admin.revoke_key(session, actor, name))


@router.post("/keys/{name}/rotate", response_model=KeyIssued, responses=errors(409))
def rotate_key(name: KeyName, session: SessionDep, actor: ManageKeys) -> KeyIssued:
    """Give an API key a new secret, answered this once; the old one stops working."""
    key, secret = admin.rotate_key(session, actor, name)
    return KeyIssued(**KeyOut.model_validate(key).model_dump(), key=secret)
