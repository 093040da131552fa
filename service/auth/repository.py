"""Queries for users and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.auth.models import ApiKey, LoginThrottle, User


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


def throttle_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The throttle row of ``key``, created if absent and locked until commit (concurrent
    first failures must not collide on the key)."""
    dialect = session.get_bind().dialect.name
    values = {"key": key, "failures": 0, "first_failure_at": now, "last_failure_at": now}
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(LoginThrottle).values(**values).on_conflict_do_nothing())
    return session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def delete_throttles(session: Session, keys: list[str]) -> None:
    """Forget the failures counted on ``keys``."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))
