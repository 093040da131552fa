"""Back-off and temporary lockout of sign-in, per account and per client address.

Counters live in the database (``login_throttles``), so every process and host of the service
shares them. A key is locked once its failures within the window reach the threshold; each
further failure doubles the lock, up to a ceiling. While a key is locked its password is not
even checked, so a locked account cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.auth import repository


@dataclass(frozen=True)
class ThrottlePolicy:
    """Thresholds and lock lengths (from settings)."""

    account_threshold: int = 5
    address_threshold: int = 20
    window: timedelta = timedelta(minutes=15)
    first_lock: timedelta = timedelta(minutes=1)
    max_lock: timedelta = timedelta(minutes=15)

    def threshold(self, key: str) -> int:
        """How many failures lock ``key``."""
        return self.account_threshold if key.startswith("account:") else self.address_threshold

    def lock_for(self, key: str, failures: int) -> timedelta | None:
        """The lock after ``failures`` failures of ``key`` (None: not locked yet)."""
        over = failures - self.threshold(key)
        if over < 0:
            return None
        return min(self.first_lock * (2 ** min(over, 20)), self.max_lock)


def keys(username: str, address: str | None) -> list[str]:
    """The throttle keys of a sign-in attempt."""
    out = [f"account:{username.casefold()[:180]}"]
    if address:
        out.append(f"addr:{address[:180]}")
    return out


def locked_until(session: Session, throttle_keys: list[str], now: datetime) -> datetime | None:
    """The latest lock still running on any of the keys."""
    return max(repository.running_locks(session, throttle_keys, now), default=None)


def record_failure(
    session: Session, policy: ThrottlePolicy, throttle_keys: list[str], now: datetime
) -> list[tuple[str, datetime]]:
    """Count a failure on every key; returns the keys that became (or stay) locked."""
    locked = []
    for key in throttle_keys:
        row = repository.throttle_row(session, key, now)
        if now - row.last_failure_at > policy.window and (
            row.locked_until is None or row.locked_until <= now
        ):
            row.failures, row.first_failure_at = 0, now  # a quiet spell starts a new count
        row.failures += 1
        row.last_failure_at = now
        lock = policy.lock_for(key, row.failures)
        if lock is not None:
            row.locked_until = now + lock
            locked.append((key, row.locked_until))
    session.flush()
    return locked


def clear_account(session: Session, throttle_keys: list[str]) -> None:
    """A successful sign-in forgets the account's failures (never the address's)."""
    repository.delete_throttles(session, [k for k in throttle_keys if k.startswith("account:")])
