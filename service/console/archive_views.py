"""Archivist pages: search, the dossier, holds, the due list."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from archive.objects import content_disposition
from service import clock
from service.archives import holds, repository, service
from service.archives.models import ArchiveStatus, HoldKind
from service.archives.search import ArchiveHit, ArchiveQuery, search
from service.audit.service import record
from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.console.problems import in_chinese
from service.deps import ArchiveNo, HoldId, ReadSessionDep, RuntimeDep, SessionDep
from service.destruction.repository import open_list_of, register_entry_for
from service.errors import FieldError, NotFound
from service.schemas import SafeText
from service.validation import forbidden_problems

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
PAGE = 20
SORTS = {
    "-archived_at": "归档时间（新→旧）",
    "archived_at": "归档时间（旧→新）",
    "-closed_on": "结案日期（新→旧）",
    "closed_on": "结案日期（旧→新）",
    "expires_on": "到期日期（早→晚）",
    "archive_no": "档号",
    "relevance": "相关度（需关键词）",
}
Reader = Annotated[ConsoleUser, Depends(can("archives.read"))]


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/archives")
def archive_search(
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Reader,
    q: Annotated[str | None, Query(max_length=200)] = None,
    case_no: Annotated[str | None, Query(max_length=64)] = None,
    party: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    retention_class: Annotated[str | None, Query(alias="class", max_length=8)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    expires_before: Annotated[str | None, Query(max_length=10)] = None,
    sort: Annotated[str, Query(max_length=20)] = "-archived_at",
    page: Annotated[int, Query(ge=1, le=50_000)] = 1,
) -> Response:
    """Full text with highlighted snippets, filters, sort, paging and the count."""
    form = {
        "q": q or "",
        "case_no": case_no or "",
        "party": party or "",
        "from": date_from or "",
        "to": date_to or "",
        "class": retention_class or "",
        "status": status or "",
        "expires_before": expires_before or "",
        "sort": sort if sort in SORTS else "-archived_at",
    }
    if form["sort"] == "relevance" and not _text(q):
        form["sort"] = "-archived_at"
    query = ArchiveQuery(
        q=_text(q),
        case_no=_text(case_no),
        party=_text(party),
        date_from=_day(date_from),
        date_to=_day(date_to),
        retention_class=_text(retention_class),
        status=status if status in ArchiveStatus.__members__ else None,
        expires_before=_day(expires_before),
        sort=form["sort"],
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    hits: list[ArchiveHit] = []
    total = 0
    # Shown above the results, in Chinese, with a 422: a character no document can hold in
    # any of the inputs (even those a wrong value of is otherwise ignored), or the search's
    # own refusals.
    problems = in_chinese(forbidden_problems({**form, "sort": sort}, None))
    try:
        if not problems:
            hits, total = search(session, query)
    except FieldError as exc:
        problems = in_chinese(exc.detail) if isinstance(exc.detail, list) else []
    rows = []
    for hit in hits:
        destroyed = hit.archive.status != ArchiveStatus.archived
        entry = register_entry_for(session, hit.archive.id) if destroyed else None
        rows.append({"a": hit.archive, "snippet": hit.snippet, "entry": entry})
    base = {k: v for k, v in form.items() if v}
    pages = max(1, -(-total // PAGE))
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "prev": f"/archives?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
        "next": f"/archives?{urlencode({**base, 'page': page + 1})}" if page < pages else None,
        "problems": problems,
        "sorts": SORTS,
        "classes": runtime.settings.retention_classes,
    }
    answer = 422 if problems else 200
    if request.headers.get("hx-target") == "results":  # htmx: only the results
        return render(request, "archives/_results.html", context, status_code=answer)
    return render(request, "archives/search.html", context, status_code=answer)


@router.get("/archives/due")
def due_list(
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("archives.due"))],
) -> Response:
    """Archives whose retention has ended, never permanent or held ones; select to propose."""
    rows = [
        {"a": a, "listed": open_list_of(session, a.id)}
        for a in repository.due(session, clock.now())
    ]
    return render(
        request,
        "archives/due.html",
        {"rows": rows, "classes": runtime.settings.retention_classes},
    )


@router.get("/archives/{archive_no}")
def dossier(
    archive_no: ArchiveNo,
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    user: Reader,
) -> Response:
    """The dossier: metadata, 四性 report, versions, holds, documents."""
    a = service.get_archive(session, archive_no)
    return render(
        request,
        "archives/dossier.html",
        {
            "a": a,
            "cls": runtime.settings.retention_classes.get(a.retention_class),
            "versions": repository.versions(session, a.id),
            "checks": repository.checks(session, a.id, limit=10),
            "holds": repository.holds(session, a.id),
            "listed": open_list_of(session, a.id),
            "entry": register_entry_for(session, a.id),
            "verify_url": service.verify_url(runtime.settings, a.verify_id),
            "hold_kinds": list(HoldKind),
        },
    )


@router.get("/archives/{archive_no}/pdf")
def dossier_pdf(
    archive_no: ArchiveNo,
    session: SessionDep,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("archives.download"))],
    download: bool = False,
) -> Response:
    """The dossier PDF, shown inline (or downloaded); every read is audited as in the API."""
    a = service.get_archive(session, archive_no)
    if a.status != "archived":
        raise NotFound(f"archive {archive_no} is {a.status}")
    record(
        session,
        user.actor,
        "archive.read",
        "archive",
        a.archive_no,
        {"presigned": False, "version_id": a.version_id, "via": "console"},
    )
    session.commit()  # the read is on record before the first byte leaves
    name = f"{a.archive_no}-{a.case_no}.pdf"
    disposition = content_disposition(name, f"{a.archive_no}.pdf")
    if not download:
        disposition = disposition.replace("attachment", "inline", 1)
    return StreamingResponse(
        runtime.archive.stream(a.object_key, a.version_id),
        media_type="application/pdf",
        headers={
            "Content-Disposition": disposition,
            "Content-Length": str(a.size),
            "X-Content-SHA256": a.sha256,
        },
    )


@router.post("/archives/{archive_no}/holds")
def place_hold(
    archive_no: ArchiveNo,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("archives.hold"))],
    kind: Annotated[HoldKind, Form()],
    reason: Annotated[SafeText, Form(min_length=2, max_length=1000)],
) -> Response:
    """Hold an archive against destruction, with the reason."""
    holds.place_hold(
        runtime.sessions, runtime.archive, user.actor, archive_no, kind, reason.strip()
    )
    return RedirectResponse(f"/archives/{archive_no}#holds", status_code=303)


@router.post("/archives/{archive_no}/holds/{hold_id}/release")
def release_hold(
    archive_no: ArchiveNo,
    hold_id: HoldId,
    runtime: RuntimeDep,
    user: Annotated[ConsoleUser, Depends(can("archives.hold"))],
    reason: Annotated[SafeText, Form(min_length=2, max_length=1000)],
) -> Response:
    """Release a hold, with the reason."""
    holds.release_hold(
        runtime.sessions, runtime.archive, user.actor, archive_no, hold_id, reason.strip()
    )
    return RedirectResponse(f"/archives/{archive_no}#holds", status_code=303)
