"""Request and response bodies of the calendar API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from service.calendar.workdays import Source
from service.schemas import RequestModel


class ScheduleIn(RequestModel):
    """A year's schedule as the State Council publishes it (…部分节假日安排的通知)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    holidays: list[dt.date] = Field(
        min_length=1,
        max_length=366,
        title="放假日期",
        description="Every day off of each holiday period, weekends included",
    )
    workdays: list[dt.date] = Field(
        default_factory=list,
        max_length=366,
        title="调休上班日期",
        description="Saturdays and Sundays made working days (调休)",
    )
    notice: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        title="发布文件",
        description="The notice the schedule comes from, e.g. 国办发明电〔2026〕7号",
    )


class YearOut(BaseModel):
    """A year of the calendar and where it comes from."""

    year: int
    source: Source = Field(
        description="loaded: by the office (precedence); chinesecalendar: the published "
        "schedule the package knows; provisional: weekends and statutory days only"
    )
    provisional: bool
    notice: str | None
    loaded_by: str | None
    loaded_at: dt.datetime | None
    holidays: list[dt.date]
    workdays: list[dt.date]


class WorkingDaysOut(BaseModel):
    """The end of a period of working days."""

    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from", description="The act's day (not counted)")
    days: int
    date: dt.date = Field(description="The last day of the period: its Nth working day")
    provisional: bool
