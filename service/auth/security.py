"""Password hashing, access tokens and API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import jwt
from pwdlib import PasswordHash

from service import clock
from service.auth.models import Role

_hasher = PasswordHash.recommended()  # Argon2id
API_KEY_PREFIX = "ajk_"
JWT_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a logged-in user or an API key, with its role."""

    kind: str  # "user" | "key"
    id: int
    name: str
    role: Role

    @property
    def client_id(self) -> str:
        """Stable identity used to scope idempotency keys and external references."""
        return f"{self.kind}:{self.id}"

    @property
    def label(self) -> str:
        """Human-readable identity for records, e.g. ``user:zhangsan``."""
        return f"{self.kind}:{self.name}"


def hash_password(password: str) -> str:
    """Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    return _hasher.verify(password, password_hash)


def dummy_verify() -> None:
    """Spend the time of one verification so unknown users are not told apart by timing."""
    _hasher.verify("x", _DUMMY_HASH)


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def create_access_token(secret: bytes, user_id: int, generation: int, minutes: int) -> str:
    """A signed JWT naming the user and their token generation; the role is re-read from the
    database on every request, and a raised generation revokes the token."""
    now = clock.now()
    payload = {
        "sub": f"user:{user_id}",
        "gen": generation,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(payload, secret, algorithm=JWT_ALGORITHM)


def decode_access_token(secret: bytes, token: str) -> tuple[int, int] | None:
    """``(user id, token generation)`` of a valid token, or ``None``."""
    try:
        # Expiry is judged on the service's one clock, not PyJWT's own reading of time.
        payload = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            options={"require": ["exp", "sub", "gen"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError:
        return None
    expires = payload.get("exp")
    if not isinstance(expires, int | float) or expires <= clock.now().timestamp():
        return None
    sub = str(payload.get("sub", ""))
    kind, _, raw_id = sub.partition(":")
    generation = payload.get("gen")
    if kind != "user" or not raw_id.isdigit() or not isinstance(generation, int):
        return None
    return int(raw_id), generation


def generate_api_key() -> str:
    """A new random API key (shown once)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """SHA-256 of an API key: keys are high-entropy, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()
