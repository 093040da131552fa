"""Administrator pages: users and API keys (a new password or key is shown once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from service.auth import admin, repository
from service.auth.models import Role
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.deps import ReadSessionDep, RuntimeDep, SessionDep
from service.schemas import SafeText

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
Users = Annotated[ConsoleUser, Depends(can("users.manage"))]
Keys = Annotated[ConsoleUser, Depends(can("keys.manage"))]
Name = Annotated[SafeText, Path(min_length=1, max_length=64)]


def _page(request: Request, session: Session, shown: dict[str, str] | None = None) -> Response:
    return render(
        request,
        "admin/people.html",
        {
            "users": repository.users(session),
            "keys": repository.api_keys(session),
            "roles": list(Role),
            "shown": shown,
        },
    )


@router.get("/admin")
def people(request: Request, session: ReadSessionDep, user: Users) -> Response:
    """Users and API keys."""
    return _page(request, session)


@router.post("/admin/users")
def create_user(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: Users,
    username: Annotated[SafeText, Form(min_length=1, max_length=64)],
    role: Annotated[Role, Form()],
    password: Annotated[SafeText, Form(max_length=128)] = "",
) -> Response:
    """Add a user; without a password one is generated and shown once."""
    _, generated = admin.add_user(
        session, user.actor, username.strip(), role, password or None, runtime.settings.agency_name
    )
    session.commit()
    shown = {"what": f"用户 {username} 的初始密码", "secret": generated} if generated else None
    return _page(request, session, shown) if shown else _back()


@router.post("/admin/users/{username}/disable")
def disable(username: Name, session: SessionDep, user: Users) -> Response:
    """Disable a user: every session and token of theirs ends now."""
    admin.set_active(session, user.actor, username, False)
    session.commit()
    return _back()


@router.post("/admin/users/{username}/enable")
def enable(username: Name, session: SessionDep, user: Users) -> Response:
    """Enable a user again."""
    admin.set_active(session, user.actor, username, True)
    session.commit()
    return _back()


@router.post("/admin/users/{username}/password")
def reset_password(
    username: Name, request: Request, session: SessionDep, runtime: RuntimeDep, user: Users
) -> Response:
    """Give a user a new, generated password (shown once); their sessions end."""
    _, generated = admin.reset_password(
        session, user.actor, username, None, runtime.settings.agency_name
    )
    session.commit()
    return _page(request, session, {"what": f"用户 {username} 的新密码", "secret": generated or ""})


@router.post("/admin/keys")
def create_key(
    request: Request,
    session: SessionDep,
    user: Keys,
    name: Annotated[SafeText, Form(min_length=1, max_length=64)],
    role: Annotated[Role, Form()],
) -> Response:
    """Add an API key for another system (shown once)."""
    _, secret = admin.add_key(session, user.actor, name.strip(), role)
    session.commit()
    return _page(request, session, {"what": f"API 密钥 {name}", "secret": secret})


@router.post("/admin/keys/{name}/rotate")
def rotate_key(name: Name, request: Request, session: SessionDep, user: Keys) -> Response:
    """A new secret for a key (shown once); the old one stops working now."""
    _, secret = admin.rotate_key(session, user.actor, name)
    session.commit()
    return _page(request, session, {"what": f"API 密钥 {name} 的新密钥", "secret": secret})


@router.post("/admin/keys/{name}/revoke")
def revoke_key(name: Name, session: SessionDep, user: Keys) -> Response:
    """Revoke a key for good."""
    admin.revoke_key(session, user.actor, name)
    session.commit()
    return _back()


def _back() -> Response:
    return RedirectResponse("/admin", status_code=303)
