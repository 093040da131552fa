"""Check the audit chain: any altered, removed, inserted or reordered entry breaks a link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.audit import repository
from service.audit.service import GENESIS, entry_body, entry_hash


@dataclass(frozen=True)
class BrokenLink:
    """Where the chain first fails and why."""

    position: int  # 1-based position in storage order (by seq)
    seq: int | None
    entry_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """Result of a chain check."""

    entries: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.broken is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole trail in ``seq`` order and name the first broken link, if any."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for count, entry in enumerate(repository.iterate(session), start=1):
        reason = None
        if entry.seq != expected_seq:
            reason = (
                f"sequence jumps from {expected_seq - 1} to {entry.seq} (entry removed or inserted)"
            )
        elif entry.prev_hash != prev_hash:
            reason = (
                "prev_hash does not match the previous entry (entry removed, inserted or reordered)"
            )
        elif entry.hash != entry_hash(prev_hash, entry_body(entry)):
            reason = "content does not match its hash (entry altered)"
        if reason:
            return ChainReport(count, BrokenLink(count, entry.seq, entry.id, reason))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    tip = repository.head(session)
    if tip is None or tip.seq != expected_seq - 1 or tip.hash != prev_hash:
        return ChainReport(
            count,
            BrokenLink(
                count + 1,
                None,
                None,
                "chain tip does not match the last entry (entries removed at the end)",
            ),
        )
    return ChainReport(count, None)
