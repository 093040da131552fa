"""Queries for users and API keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import ApiKey, User


def get_user(session: Session, user_id: int) -> User | None:
    """The user with ``user_id``."""
    return session.get(User, user_id)


def get_user_by_name(session: Session, username: str, *, for_update: bool = False) -> User | None:
    """The user called ``username`` (row locked with ``for_update``)."""
    stmt = select(User).where(User.username == username)
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def api_keys(session: Session) -> list[ApiKey]:
    """Every API key, by name."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.name)))


def get_key_by_hash(session: Session, key_hash: str) -> ApiKey | None:
    """The API key whose hash is ``key_hash``."""
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


def get_key_by_name(session: Session, name: str) -> ApiKey | None:
    """The API key called ``name``."""
    return session.scalar(select(ApiKey).where(ApiKey.name == name))


def has_users(session: Session) -> bool:
    """True once any user exists."""
    return session.scalar(select(User.id).limit(1)) is not None
