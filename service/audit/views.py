"""HTTP routes for reading the audit trail (auditor, admin)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from service.audit import repository
from service.audit.models import AuditEntry
from service.audit.repository import AuditFilter
from service.audit.service import Actor
from service.clock import LOCAL_TZ
from service.db import reading
from service.deps import ReadSessionDep, RuntimeDep, authorize
from service.schemas import OptionalSafeText

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
CanRead = Annotated[Actor, Depends(authorize("audit.read"))]


class AuditEntryOut(BaseModel):
    """One audit entry, with its chain hashes."""

    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    target_type: str
    target_id: str
    request_id: str | None
    outcome: str
    client_addr: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    """A page of the trail."""

    total: int
    limit: int
    offset: int
    items: list[AuditEntryOut]


def _filter(
    actor: Annotated[OptionalSafeText, Query(max_length=128)] = None,
    role: Annotated[OptionalSafeText, Query(max_length=16)] = None,
    action: Annotated[OptionalSafeText, Query(max_length=64)] = None,
    target_type: Annotated[OptionalSafeText, Query(max_length=32)] = None,
    target_id: Annotated[OptionalSafeText, Query(max_length=64)] = None,
    outcome: Annotated[OptionalSafeText, Query(max_length=16)] = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="Inclusive, ISO 8601")
    ] = None,
    until: Annotated[datetime | None, Query(alias="to", description="Exclusive, ISO 8601")] = None,
) -> AuditFilter:
    return AuditFilter(
        actor, role, action, target_type, target_id, outcome, _aware(since), _aware(until)
    )


def _aware(value: datetime | None) -> datetime | None:
    """Times without an offset are office local time (Asia/Shanghai)."""
    return value.replace(tzinfo=LOCAL_TZ) if value and value.tzinfo is None else value


FilterDep = Annotated[AuditFilter, Depends(_filter)]


def _out(e: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut.model_validate(e, from_attributes=True)


@router.get("", response_model=AuditPage)
def list_audit(
    f: FilterDep,
    session: ReadSessionDep,
    _: CanRead,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Entries in chain order, filtered and paginated."""
    rows, total = repository.page(session, f, limit, offset)
    return AuditPage(total=total, limit=limit, offset=offset, items=[_out(e) for e in rows])


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "JSON Lines"}},
)
def export_audit(f: FilterDep, runtime: RuntimeDep, _: CanRead) -> StreamingResponse:
    """Every matching entry as JSON Lines, streamed in chain order."""

    def lines() -> Iterator[bytes]:
        with reading(runtime.sessions) as session:
            for entry in repository.iterate(session, f):
                yield (
                    json.dumps(_out(entry).model_dump(mode="json"), ensure_ascii=False).encode()
                    + b"\n"
                )

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
    )
