"""User and API-key administration, each change audited in its transaction.

The last active administrator can be neither disabled nor given another role, so that the
service never ends up with nobody able to manage it.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from service.audit.service import Actor, record
from service.auth import repository, service
from service.auth.models import ApiKey, Role, User
from service.errors import Conflict, FieldError


class LastAdmin(Conflict):
    """This would leave the service without an active administrator."""

    code = "last_admin"


def generated_password() -> str:
    """A random password that passes the policy (shown once)."""
    return secrets.token_urlsafe(15)


def add_user(
    session: Session, actor: Actor, username: str, role: Role, password: str | None, agency: str
) -> tuple[User, str | None]:
    """Add a user; returns the generated password when none was given."""
    generated = generated_password() if password is None else None
    user = service.create_user(session, username, role, password or generated or "", agency=agency)
    record(session, actor, "user.create", "user", username, {"role": role.value})
    return user, generated


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Disable or enable a user (disabling ends their tokens)."""
    if not active:
        _keep_an_admin(session, username)
    user = service.set_active(session, username, active)
    record(session, actor, "user.enable" if active else "user.disable", "user", username, {})
    return user


def set_role(session: Session, actor: Actor, username: str, role: Role) -> User:
    """Give a user another role."""
    if role != Role.admin:
        _keep_an_admin(session, username)
    before = service.get_user(session, username).role
    user = service.set_role(session, username, role)
    record(session, actor, "user.role", "user", username, {"from": before, "to": role.value})
    return user


def reset_password(
    session: Session, actor: Actor, username: str, password: str | None, agency: str
) -> tuple[User, str | None]:
    """Set a user's password (generated when none is given) and end their tokens."""
    generated = generated_password() if password is None else None
    user = service.reset_password(session, username, password or generated or "", agency=agency)
    record(session, actor, "user.password_reset", "user", username, {})
    return user, generated


def change_own_password(
    session: Session, actor: Actor, current: str, new: str, agency: str
) -> User:
    """A user changes their own password, proving the current one."""
    p = actor.principal
    if p.kind != "user":
        raise Conflict("API keys have no password; rotate the key instead")
    if service.check_credentials(session, p.name, current) is None:
        raise FieldError(
            [{"field": "current_password", "message": "wrong password", "label": "当前密码"}]
        )
    user = service.reset_password(session, p.name, new, agency=agency)
    record(session, actor, "user.password_change", "user", p.name, {})
    return user


def revoke_tokens(session: Session, actor: Actor, username: str) -> User:
    """End every bearer token a user holds."""
    user = service.revoke_tokens(session, username)
    record(session, actor, "user.revoke_tokens", "user", username, {})
    return user


def add_key(session: Session, actor: Actor, name: str, role: Role) -> tuple[ApiKey, str]:
    """Add an API key (shown once)."""
    key, secret = service.create_api_key(session, name, role)
    record(session, actor, "api_key.create", "api_key", name, {"role": role.value})
    return key, secret


def revoke_key(session: Session, actor: Actor, name: str) -> ApiKey:
    """Revoke an API key."""
    key = service.revoke_api_key(session, name, actor.principal.label)
    record(session, actor, "api_key.revoke", "api_key", name, {})
    return key


def rotate_key(session: Session, actor: Actor, name: str) -> tuple[ApiKey, str]:
    """Give an API key a new secret (shown once)."""
    key, secret = service.rotate_api_key(session, name)
    record(session, actor, "api_key.rotate", "api_key", name, {})
    return key, secret


def _keep_an_admin(session: Session, username: str) -> None:
    user = service.get_user(session, username)
    if user.role != Role.admin or not user.active:
        return
    others = [u for u in repository.users(session) if u.role == Role.admin and u.active]
    if len(others) <= 1:
        raise LastAdmin(f"{username} is the last active administrator")
