"""Users (people who log in) and API keys (other systems)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class Role(StrEnum):
    """The roles of DOMAIN.md; a route's policy names which of them may call it."""

    admin = "admin"
    clerk = "clerk"  # 承办人
    legal = "legal"  # 法制科
    leader = "leader"  # 领导小组
    archivist = "archivist"  # 档案员
    supervisor = "supervisor"  # 纪检监察 / 监销人
    system = "system"  # another system posting case data
    auditor = "auditor"


RoleColumn = Enum(Role, native_enum=False, length=16, validate_strings=True, name="role")


class User(Base):
    """A person who logs in with a password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(RoleColumn)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Every bearer token carries the generation it was issued in; raising it (password reset,
    # disabling, "revoke tokens") makes every token issued before invalid at once.
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiKey(Base):
    """A key another system sends as ``X-API-Key``; only its hash is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(RoleColumn)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(128))


class LoginThrottle(Base):
    """Failed sign-ins counted per account (``account:NAME``) and per address (``addr:IP``).

    ``locked_until`` is set once ``failures`` reaches the threshold and grows with every
    further failure; a success clears the account's row, time clears both.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
