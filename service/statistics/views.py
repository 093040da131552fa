"""HTTP route of the statistics: JSON, or the same figures as CSV or XLSX."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from service.audit.service import Actor
from service.deps import ReadSessionDep, authorize
from service.schemas import OptionalSafeText
from service.statistics.export import XLSX, export_response
from service.statistics.repository import Scope
from service.statistics.schemas import StatisticsOut
from service.statistics.service import check_period, statistics

router = APIRouter(prefix="/api/v1", tags=["statistics"])


class Format(StrEnum):
    """How the figures come back."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@router.get(
    "/statistics",
    response_model=StatisticsOut,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def get_statistics(
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("statistics.read"))],
    start: Annotated[
        date | None, Query(alias="from", description="起始日期 (default: 1 January this year)")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="截止日期 (default: today)")] = None,
    section: Annotated[
        OptionalSafeText, Query(min_length=1, max_length=100, description="承办科室")
    ] = None,
    handler: Annotated[
        OptionalSafeText, Query(min_length=1, max_length=100, description="承办人")
    ] = None,
    format: Annotated[Format, Query(description="json, csv or xlsx")] = Format.json,
) -> Any:
    """The figures the office is judged by, over a period (both days included), in total and
    by section, handler and month; each figure's definition is in the schema."""
    start, end = check_period(start, end)
    stats = statistics(session, Scope(start, end, section, handler))
    if format == Format.json:
        return stats
    return export_response(stats, format.value)
