"""Signing in with a password: throttled per account and per address, every attempt audited.

Three short steps so that the Argon2 check (tens of milliseconds) holds no write lock:
1. in one transaction, with the keys' rows locked: refuse at once while the account or the
   address is locked (429, ``Retry-After``), else count the attempt as a failure on both keys
   (``throttle.reserve``) — so parallel guesses get no more password checks than the
   threshold, whatever their timing;
2. check the password (a read);
3. record the outcome: a failure is audited (and the locks its count started); a success
   forgets the account's failures and gives the address its count back. Failures, locked
   attempts and locks are audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.audit.service import append
from service.auth import throttle
from service.auth.models import User
from service.auth.service import check_credentials
from service.auth.throttle import ThrottlePolicy
from service.db import reading, transaction
from service.errors import DomainError, NotAuthenticated


class TooManyAttempts(DomainError):
    """Sign-in is locked for a while after repeated failures."""

    status_code = 429
    code = "too_many_attempts"


@dataclass(frozen=True)
class Attempt:
    """Who tries to sign in, from where, in which request."""

    username: str
    client_addr: str | None
    request_id: str | None


def sign_in(
    sessions: sessionmaker[Session], policy: ThrottlePolicy, attempt: Attempt, password: str
) -> User:
    """The user these credentials name, or 401 (wrong) / 429 (locked)."""
    keys = throttle.keys(attempt.username, attempt.client_addr)
    now = clock.now()
    with transaction(sessions) as session:
        reservation = throttle.reserve(session, policy, keys, now)
        until = reservation.locked_until
        if until is not None:
            _audit(session, attempt, "auth.login", "locked", {"locked_until": until.isoformat()})
    if until is not None:
        raise _locked(until, now)

    with reading(sessions) as session:
        user = check_credentials(session, attempt.username, password)

    with transaction(sessions) as session:
        if user is None:
            _audit(session, attempt, "auth.login", "failed", {})
            for key, lock_until in reservation.locks:
                _audit(
                    session,
                    attempt,
                    "auth.lockout",
                    "ok",
                    {"key": key, "locked_until": lock_until.isoformat()},
                    target=key,
                )
        else:
            throttle.refund(session, reservation, clock.now())
            _audit(session, attempt, "auth.login", "ok", {}, user=user)
    if user is None:
        raise NotAuthenticated("wrong username or password")
    return user


def _locked(until: datetime, now: datetime) -> TooManyAttempts:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return TooManyAttempts(
        f"too many failed sign-ins; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def _audit(
    session: Session,
    attempt: Attempt,
    action: str,
    outcome: str,
    detail: dict[str, str],
    *,
    user: User | None = None,
    target: str | None = None,
) -> None:
    append(
        session,
        actor=f"user:{user.username}" if user else "anonymous",
        role=user.role.value if user else "-",
        request_id=attempt.request_id,
        client_addr=attempt.client_addr,
        action=action,
        target_type="user" if target is None else "throttle",
        target_id=target or attempt.username[:64],
        detail={"username": attempt.username[:64], **detail},
        outcome=outcome,
    )
