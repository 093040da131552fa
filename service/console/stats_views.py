"""The office's statistics for the leader (and the legal section and auditors): the figures it
is judged by over a period, by month as bars, by section, and their CSV and XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from service.console.deps import ConsoleRoute, ConsoleUser, can
from service.console.pages import render
from service.deps import ReadSessionDep
from service.schemas import OptionalSafeText, SafeText
from service.statistics.export import export_response
from service.statistics.repository import Scope
from service.statistics.schemas import Figures, StatisticsOut
from service.statistics.service import check_period, statistics

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False, tags=["console"])
CanRead = Annotated[ConsoleUser, Depends(can("statistics.read"))]
Start = Annotated[date | None, Query(alias="from")]
End = Annotated[date | None, Query(alias="to")]
Section = Annotated[OptionalSafeText, Query(max_length=100)]

# the figures the page shows first, in the order reference 000 §5.3 judges an office by
HEADLINE = (
    "cases_opened",
    "interviews_held",
    "cases_closed",
    "rectification_pass_rate",
    "overdue_rate",
    "steps_overdue_now",
    "clue_to_start_within_15_share",
    "document_quality_rate",
    "archived_in_time_share",
    "satisfaction_mean",
)
RATES = {name for name, f in Figures.model_fields.items() if name.endswith(("_rate", "_share"))}


def _figure(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in RATES:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _stats(session: Any, start: date | None, end: date | None, section: str | None) -> Any:
    first, last = check_period(start, end)
    return statistics(session, Scope(first, last, section or None, None))


@router.get("/statistics")
def statistics_page(
    request: Request,
    session: ReadSessionDep,
    user: CanRead,
    start: Start = None,
    end: End = None,
    section: Section = None,
) -> Response:
    """The period's figures: headline, by month (bars), by section, every figure with its
    definition; the same as ``GET /api/v1/statistics``."""
    stats: StatisticsOut = _stats(session, start, end, section)
    months = stats.by_month
    most = max((max(m.cases_opened, m.cases_closed) for m in months), default=0)
    fields = Figures.model_fields
    return render(
        request,
        "statistics/page.html",
        {
            "stats": stats,
            "headline": [(fields[n].title, _figure(n, getattr(stats.totals, n))) for n in HEADLINE],
            "every": [
                (f.title, _figure(n, getattr(stats.totals, n)), f.description or "")
                for n, f in fields.items()
            ],
            "months": months,
            "most": max(most, 1),
            "by_section": stats.by_section,
            "fmt": _figure,
            "query": {"from": stats.from_.isoformat(), "to": stats.to.isoformat()}
            | ({"section": section} if section else {}),
        },
    )


@router.get("/statistics/export.{fmt}")
def statistics_export(
    fmt: Annotated[SafeText, Path(max_length=8)],
    session: ReadSessionDep,
    user: CanRead,
    start: Start = None,
    end: End = None,
    section: Section = None,
) -> Response:
    """The page's figures as CSV or XLSX (one sheet per breakdown, Chinese headers)."""
    if fmt not in ("csv", "xlsx"):
        return Response("not found", status_code=404)
    return export_response(_stats(session, start, end, section), fmt)
