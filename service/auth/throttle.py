"""Back-off and temporary lockout of sign-in, per account and per client address.

Counters live in the database (``login_throttles``), so every process and host of the service
shares them. A key is locked once its failures within the window reach the threshold; each
further failure doubles the lock, up to a ceiling. While a key is locked its password is not
even checked, so a locked account cannot be probed. An attempt is counted before its password
is checked, in one transaction with the lock check (``reserve``), so parallel guesses cannot
slip past the threshold between the check and the count.
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


@dataclass(frozen=True)
class Counted:
    """What reserving an attempt did to one key: the lock before and the lock it set."""

    key: str
    locked_before: datetime | None
    locked_after: datetime | None

    @property
    def locks(self) -> bool:
        """The attempt brought the key to a lock (a failure confirms it, a success undoes)."""
        return self.locked_after is not None and self.locked_after != self.locked_before


@dataclass(frozen=True)
class Reservation:
    """The outcome of step 1: refused while a lock runs, else counted on every key."""

    locked_until: datetime | None
    counted: tuple[Counted, ...] = ()

    @property
    def locks(self) -> list[tuple[str, datetime]]:
        """The keys this attempt locks if its password proves wrong, and until when."""
        return [(c.key, c.locked_after) for c in self.counted if c.locks and c.locked_after]


def reserve(
    session: Session, policy: ThrottlePolicy, throttle_keys: list[str], now: datetime
) -> Reservation:
    """Check and count an attempt atomically, before its password is checked.

    Every key's row is locked until commit (SQLite serialises writers anyway). While any key
    is locked nothing is counted and the attempt is refused. Otherwise it is counted on every
    key as if it failed, locking the keys it brings to their threshold: so however many
    guesses arrive at once, no more passwords are checked than the threshold allows. A success
    takes its count back (``refund``).
    """
    rows = [repository.throttle_row(session, key, now) for key in throttle_keys]
    running = [r.locked_until for r in rows if r.locked_until is not None and r.locked_until > now]
    if running:
        return Reservation(max(running))
    counted = []
    for row in rows:
        before = row.locked_until
        if now - row.last_failure_at > policy.window and (before is None or before <= now):
            row.failures, row.first_failure_at = 0, now  # a quiet spell starts a new count
        row.failures += 1
        row.last_failure_at = now
        lock = policy.lock_for(row.key, row.failures)
        if lock is not None:
            row.locked_until = now + lock
        counted.append(Counted(row.key, before, row.locked_until))
    session.flush()
    return Reservation(None, tuple(counted))


def refund(session: Session, reservation: Reservation, now: datetime) -> None:
    """A successful sign-in: the account's failures are forgotten; the address gets back the
    count the attempt reserved (and the lock it set, unless a later failure changed it)."""
    accounts = [c.key for c in reservation.counted if c.key.startswith("account:")]
    repository.delete_throttles(session, accounts)
    for c in reservation.counted:
        if c.key.startswith("account:"):
            continue
        row = repository.throttle_row(session, c.key, now)
        row.failures = max(0, row.failures - 1)
        if c.locks and row.locked_until == c.locked_after:
            row.locked_until = c.locked_before
    session.flush()
