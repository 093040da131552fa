"""Append entries to the audit trail, in the transaction of the change they record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.audit import repository
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.auth.security import Principal

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who acts and through which request: what every audit entry records."""

    principal: Principal
    request_id: str | None = None
    client_addr: str | None = None

    def as_args(self) -> dict[str, Any]:
        """JSON form, for a job acting on behalf of this actor."""
        p = self.principal
        return {
            "kind": p.kind,
            "id": p.id,
            "name": p.name,
            "role": p.role.value,
            "request_id": self.request_id,
            "client_addr": self.client_addr,
        }

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> Actor:
        """The actor ``as_args`` described."""
        principal = Principal(args["kind"], int(args["id"]), args["name"], Role(args["role"]))
        return cls(principal, args.get("request_id"), args.get("client_addr"))


def canonical(entry: dict[str, Any]) -> bytes:
    """Canonical JSON (sorted keys, no spaces, UTF-8) that the chain hash covers."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(prev_hash: str, body: dict[str, Any]) -> str:
    """SHA-256 chaining ``body`` to the previous entry."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(body)).hexdigest()


def entry_body(e: AuditEntry) -> dict[str, Any]:
    """The fields of an entry that its hash covers."""
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "role": e.role,
        "action": e.action,
        "target_type": e.target_type,
        "target_id": e.target_id,
        "request_id": e.request_id,
        "outcome": e.outcome,
        "client_addr": e.client_addr,
        "detail": e.detail,
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
    outcome: str = "ok",
) -> AuditEntry:
    """Append one entry for ``actor`` in the transaction of the change it records."""
    p = actor.principal
    return append(
        session,
        actor=p.label,
        role=str(p.role),
        request_id=actor.request_id,
        client_addr=actor.client_addr,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        outcome=outcome,
    )


def append(
    session: Session,
    *,
    actor: str,
    role: str,
    request_id: str | None,
    client_addr: str | None,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
    outcome: str = "ok",
) -> AuditEntry:
    """Append one entry; the head row is locked so concurrent appends form one chain."""
    head = repository.lock_head(session)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=clock.now(),
        actor=actor,
        role=role,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        request_id=request_id,
        outcome=outcome[:16],
        client_addr=client_addr,
        detail=detail or {},
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(head.hash, entry_body(entry))
    head.seq, head.hash = entry.seq, entry.hash
    session.add(entry)
    session.flush()
    return entry
