"""Auditor pages: the trail with filters and paging, the CSV export, the chain check."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from service.audit import repository
from service.audit.repository import AuditFilter
from service.audit.verify import verify_chain
from service.clock import LOCAL_TZ
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import cn_time, render
from service.db import reading
from service.deps import ReadSessionDep, RuntimeDep
from service.schemas import OptionalSafeText

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
Auditor = Annotated[ConsoleUser, Depends(can("audit.read"))]
PAGE = 50
FIELDS = ("actor", "role", "action", "target_type", "target_id", "outcome")


def _day(value: str | None, *, end: bool = False) -> datetime | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1 if end else 0), time(0), tzinfo=LOCAL_TZ)


def _filter(
    actor: Annotated[OptionalSafeText, Query(max_length=128)] = None,
    role: Annotated[OptionalSafeText, Query(max_length=16)] = None,
    action: Annotated[OptionalSafeText, Query(max_length=64)] = None,
    target_type: Annotated[OptionalSafeText, Query(max_length=32)] = None,
    target_id: Annotated[OptionalSafeText, Query(max_length=64)] = None,
    outcome: Annotated[OptionalSafeText, Query(max_length=16)] = None,
    date_from: Annotated[OptionalSafeText, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[OptionalSafeText, Query(alias="to", max_length=10)] = None,
) -> tuple[AuditFilter, dict[str, str]]:
    values = {
        "actor": actor,
        "role": role,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "outcome": outcome,
    }
    clean = {k: (v or "").strip() or None for k, v in values.items()}
    if clean["actor"] and ":" not in clean["actor"]:
        clean["actor"] = f"user:{clean['actor']}"  # people are searched by their name
    f = AuditFilter(
        **clean,
        since=_day(date_from),
        until=_day(date_to, end=True),
    )
    form = {k: (v or "") for k, v in values.items()}
    form.update({"from": date_from or "", "to": date_to or ""})
    return f, form


FilterDep = Annotated[tuple[AuditFilter, dict[str, str]], Depends(_filter)]


@router.get("/audit")
def trail(
    request: Request,
    session: ReadSessionDep,
    user: Auditor,
    filtered: FilterDep,
    page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    """The trail in chain order, filtered; the newest page first unless a page is asked."""
    f, form = filtered
    _, total = repository.page(session, f, 1, 0)
    pages = max(1, -(-total // PAGE))
    page = min(page or pages, pages)
    rows, total = repository.page(session, f, PAGE, (page - 1) * PAGE)
    base = {k: v for k, v in form.items() if v}
    return render(
        request,
        "audit/trail.html",
        {
            "rows": list(reversed(rows)),
            "total": total,
            "page": page,
            "pages": pages,
            "form": form,
            "query": urlencode(base),
            "prev": f"/audit?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
            "next": f"/audit?{urlencode({**base, 'page': page + 1})}" if page < pages else None,
        },
    )


@router.get("/audit/export.csv")
def export_csv(runtime: RuntimeDep, user: Auditor, filtered: FilterDep) -> Response:
    """Every matching entry as CSV (UTF-8 with BOM, so spreadsheets read the Chinese)."""
    f, _ = filtered
    header = [
        "序号", "时间", "操作人", "角色", "操作", "对象类型", "对象", "结果", "地址", "请求编号",
        "详情", "哈希",
    ]  # fmt: skip

    def lines() -> Iterator[bytes]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        yield "\ufeff".encode() + out.getvalue().encode()
        with reading(runtime.sessions) as db:
            for e in repository.iterate(db, f):
                out.seek(0)
                out.truncate()
                writer.writerow(
                    [
                        e.seq,
                        cn_time(e.at),
                        e.actor,
                        e.role,
                        e.action,
                        e.target_type,
                        e.target_id,
                        e.outcome,
                        e.client_addr or "",
                        e.request_id or "",
                        json.dumps(e.detail, ensure_ascii=False),
                        e.hash,
                    ]
                )
                yield out.getvalue().encode()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/audit/chain")
def chain(request: Request, session: ReadSessionDep, user: Auditor) -> Response:
    """Walk the whole chain and say whether every link holds."""
    return render(request, "audit/chain.html", {"report": verify_chain(session)})
