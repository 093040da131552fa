"""Users and API keys: creating, authenticating, disabling, re-roling, resetting, revoking.

Every change here is audited by its caller in the same transaction. Disabling a user, resetting
their password or revoking their tokens raises their token generation, so bearer tokens issued
before stop working on the very next request; a revoked API key likewise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.auth import repository
from service.auth.models import ApiKey, Role, User
from service.auth.passwords import PolicyViolation, check_password, check_username
from service.auth.security import (
    Principal,
    decode_access_token,
    dummy_verify,
    generate_api_key,
    hash_api_key,
    hash_password,
    verify_password,
)
from service.errors import Conflict, FieldError, NotFound

FIELD_LABELS = {"username": "用户名", "password": "密码", "name": "名称"}


def policy_error(exc: PolicyViolation) -> FieldError:
    """The 422 a policy violation means."""
    return FieldError(
        [
            {
                "field": exc.field,
                "message": str(exc),
                "type": "policy",
                "label": FIELD_LABELS.get(exc.field),
            }
        ]
    )


def create_user(
    session: Session, username: str, role: Role, password: str, *, agency: str = ""
) -> User:
    """Add a user; the username must be valid and free, the password acceptable (422)."""
    _check(check_username, username)
    _check(check_password, password, username=username, context=(agency,))
    if repository.get_user_by_name(session, username) is not None:
        raise Conflict(f"user {username!r} exists")
    now = clock.now()
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
        updated_at=now,
        token_generation=0,
    )
    session.add(user)
    session.flush()
    return user


def _check(fn: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except PolicyViolation as exc:
        raise policy_error(exc) from None


def get_user(session: Session, username: str, *, for_update: bool = False) -> User:
    """The user called ``username``, or 404."""
    user = repository.get_user_by_name(session, username, for_update=for_update)
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    """Disable (or enable) a user; disabling ends every token they hold."""
    user = get_user(session, username, for_update=True)
    if user.active != active:
        user.active = active
        if not active:
            user.token_generation += 1
        user.updated_at = clock.now()
    return user


def set_role(session: Session, username: str, role: Role) -> User:
    """Give a user another role (read from the database on every request)."""
    user = get_user(session, username, for_update=True)
    user.role, user.updated_at = role, clock.now()
    return user


def reset_password(session: Session, username: str, password: str, *, agency: str = "") -> User:
    """Set a new password and end every token issued with the old one."""
    user = get_user(session, username, for_update=True)
    _check(check_password, password, username=username, context=(agency,))
    user.password_hash = hash_password(password)
    user.token_generation += 1
    user.updated_at = clock.now()
    return user


def revoke_tokens(session: Session, username: str) -> User:
    """End every bearer token the user holds now."""
    user = get_user(session, username, for_update=True)
    user.token_generation += 1
    user.updated_at = clock.now()
    return user


def create_api_key(session: Session, name: str, role: Role) -> tuple[ApiKey, str]:
    """Add an API key; returns the record and the key itself, which is never stored."""
    try:
        check_username(name)
    except PolicyViolation as exc:
        raise policy_error(PolicyViolation("name", str(exc).replace("username", "name"))) from None
    if repository.get_key_by_name(session, name) is not None:
        raise Conflict(f"API key {name!r} exists")
    key = generate_api_key()
    record = ApiKey(
        name=name, role=role, key_hash=hash_api_key(key), active=True, created_at=clock.now()
    )
    session.add(record)
    session.flush()
    return record, key


def get_api_key(session: Session, name: str) -> ApiKey:
    """The API key called ``name``, or 404."""
    key = repository.get_key_by_name(session, name)
    if key is None:
        raise NotFound(f"API key {name!r} not found")
    return key


def revoke_api_key(session: Session, name: str, by: str) -> ApiKey:
    """Revoke a key for good; the next request with it is refused."""
    key = get_api_key(session, name)
    if key.active:
        key.active, key.revoked_at, key.revoked_by = False, clock.now(), by
    return key


def rotate_api_key(session: Session, name: str) -> tuple[ApiKey, str]:
    """Give a key a new secret (the old one stops working now); returns the new key once."""
    record = get_api_key(session, name)
    if not record.active:
        raise Conflict(f"API key {name!r} is revoked")
    key = generate_api_key()
    record.key_hash = hash_api_key(key)
    return record, key


def check_credentials(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or ``None`` (same time either way)."""
    user = repository.get_user_by_name(session, username)
    if user is None or not user.active:
        dummy_verify()
        return None
    return user if verify_password(password, user.password_hash) else None


def principal_from_token(session: Session, secret: bytes, token: str) -> Principal | None:
    """The principal behind a bearer token: valid, of an active user, not revoked."""
    claims = decode_access_token(secret, token)
    if claims is None:
        return None
    user_id, generation = claims
    user = repository.get_user(session, user_id)
    if user is None or not user.active or user.token_generation != generation:
        return None
    return Principal("user", user.id, user.username, user.role)


def principal_from_api_key(session: Session, key: str) -> Principal | None:
    """The principal behind an ``X-API-Key``, if the key is known and active."""
    record = repository.get_key_by_hash(session, hash_api_key(key))
    if record is None or not record.active:
        return None
    return Principal("key", record.id, record.name, record.role)
