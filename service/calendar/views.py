"""HTTP routes for the working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from service.audit.service import Actor
from service.calendar import service
from service.calendar.schemas import ScheduleIn, WorkingDaysOut, YearOut
from service.calendar.workdays import MAX_YEAR, MIN_YEAR
from service.deps import ReadSessionDep, SessionDep, SettingsDep, authorize
from service.process import service as process

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])

Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="Calendar year")]


def year_out(view: service.YearView) -> YearOut:
    """API view of a calendar year."""
    s, row = view.schedule, view.row
    return YearOut(
        year=s.year,
        source=s.source,
        provisional=s.provisional,
        notice=row.notice if row else None,
        loaded_by=row.loaded_by if row else None,
        loaded_at=row.loaded_at if row else None,
        holidays=sorted(s.holidays),
        workdays=sorted(s.workdays),
    )


# Declared before /{year}, which would otherwise take "working-days" for a year.
@router.get("/working-days", response_model=WorkingDaysOut)
def working_days(
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("calendar.read"))],
    from_: Annotated[date, Query(alias="from", description="The act's day (not counted)")],
    days: Annotated[int, Query(ge=1, le=366, description="Working days in the period")],
) -> WorkingDaysOut:
    """The Nth working day after a date, and whether a provisional year went into it."""
    due = service.working_days_from(session, from_, days)
    return WorkingDaysOut(from_=from_, days=days, date=due.date, provisional=due.provisional)


@router.get("/{year}", response_model=YearOut)
def get_year(
    year: Year,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("calendar.read"))],
) -> YearOut:
    """A year's holidays and make-up workdays and where they come from."""
    return year_out(service.describe_year(session, year))


@router.put("/{year}", response_model=YearOut)
def put_year(
    year: Year,
    body: ScheduleIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[Actor, Depends(authorize("calendar.write"))],
) -> YearOut:
    """Load the State Council's published schedule for a year; it replaces any other source,
    and every running step's due date is recomputed on it."""
    view = service.load_year(session, actor, year, body)
    process.resync_running(session, settings)
    return year_out(view)
