"""Creating and authenticating users and API keys."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service import clock
from service.auth import repository
from service.auth.models import ApiKey, Role, User
from service.auth.security import (
    Principal,
    decode_access_token,
    dummy_verify,
    generate_api_key,
    hash_api_key,
    hash_password,
    verify_password,
)
from service.errors import Conflict

MIN_PASSWORD_LENGTH = 10


def create_user(session: Session, username: str, role: Role, password: str) -> User:
    """Add a user; the username must be free and the password long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if repository.get_user_by_name(session, username) is not None:
        raise Conflict(f"user {username!r} exists")
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def create_api_key(session: Session, name: str, role: Role) -> tuple[ApiKey, str]:
    """Add an API key; returns the record and the key itself, which is never stored."""
    if repository.get_key_by_name(session, name) is not None:
        raise Conflict(f"API key {name!r} exists")
    key = generate_api_key()
    record = ApiKey(
        name=name, role=role, key_hash=hash_api_key(key), active=True, created_at=clock.now()
    )
    session.add(record)
    session.flush()
    return record, key


def authenticate_password(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or ``None``."""
    user = repository.get_user_by_name(session, username)
    if user is None or not user.active:
        dummy_verify()
        return None
    return user if verify_password(password, user.password_hash) else None


def principal_from_token(session: Session, secret: bytes, token: str) -> Principal | None:
    """The principal behind a bearer token, if the token is valid and the user active."""
    user_id = decode_access_token(secret, token)
    user = repository.get_user(session, user_id) if user_id is not None else None
    if user is None or not user.active:
        return None
    return Principal("user", user.id, user.username, user.role)


def principal_from_api_key(session: Session, key: str) -> Principal | None:
    """The principal behind an ``X-API-Key``, if the key is known and active."""
    record = repository.get_key_by_hash(session, hash_api_key(key))
    if record is None or not record.active:
        return None
    return Principal("key", record.id, record.name, record.role)
