"""Request and response bodies of sign-in and of user and key administration."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.auth.models import Role
from service.schemas import RequestModel

Username = Field(min_length=2, max_length=64, title="用户名", pattern=r"^[^\W_][\w.\-]{1,63}$")


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


class UserCreate(RequestModel):
    """Add a user; without a password one is generated and answered once."""

    model_config = ConfigDict(extra="forbid")

    username: str = Username
    role: Role = Field(title="角色")
    password: str | None = Field(default=None, min_length=1, max_length=128, title="密码")


class RoleChange(RequestModel):
    """Give a user another role."""

    model_config = ConfigDict(extra="forbid")

    role: Role = Field(title="角色")


class PasswordReset(RequestModel):
    """An administrator sets a user's password; without one, one is generated."""

    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, min_length=1, max_length=128, title="新密码")


class PasswordChange(RequestModel):
    """A user changes their own password."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128, title="当前密码")
    new_password: str = Field(min_length=1, max_length=128, title="新密码")


class UserOut(BaseModel):
    """A user as administrators see them (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    username: str
    role: Role
    active: bool
    created_at: datetime
    updated_at: datetime | None


class UserCreated(UserOut):
    """A new user (or a reset); ``password`` only when the service generated it."""

    password: str | None = Field(default=None, description="Generated password, shown once")


class KeyCreate(RequestModel):
    """Add an API key for another system."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=64, title="名称", pattern=r"^[^\W_][\w.\-]{1,63}$")
    role: Role = Field(title="角色")


class KeyOut(BaseModel):
    """An API key's record (never the key)."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    role: Role
    active: bool
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None


class KeyIssued(KeyOut):
    """A new or rotated key: ``key`` is shown this once."""

    key: str
