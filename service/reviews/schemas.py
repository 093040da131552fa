"""Request and response bodies of the case-file reviews and revisits."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from service.schemas import RequestModel


class DrawIn(RequestModel):
    """Draw the review sample of a month."""

    model_config = ConfigDict(extra="forbid")

    month: str = Field(
        pattern=r"^20\d{2}-(0[1-9]|1[0-2])$",
        title="月份",
        description="YYYY-MM (2000–2099): the month whose closed cases are sampled (over by now)",
    )


class RevisitDrawIn(RequestModel):
    """Draw the revisit sample of a quarter."""

    model_config = ConfigDict(extra="forbid")

    quarter: str = Field(
        pattern=r"^20\d{2}Q[1-4]$",
        title="季度",
        description="YYYYQn (2000–2099): the quarter whose closed cases are revisited (over)",
    )


class ItemScore(RequestModel):
    """The points a reviewer awards one checklist item, with a note."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=32, title="评查项目")
    awarded: int = Field(ge=0, le=100, title="得分")
    note: str = Field(default="", max_length=2000, title="评查意见")


class ScoreIn(RequestModel):
    """A reviewer's scoring of a sampled case file: every checklist item once."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    items: list[ItemScore] = Field(min_length=1, max_length=50, title="评查项目")
    findings: str | None = Field(
        default=None,
        max_length=5000,
        title="评查结论",
        description="What is wrong, for the handler when the file fails",
    )


class RevisitIn(RequestModel):
    """What a revisit (回访) found."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    on: date = Field(title="回访日期", description="Not in the future")
    outcome: str = Field(min_length=1, max_length=2000, title="回访情况")
    satisfaction: int | None = Field(default=None, ge=0, le=100, title="满意度")


class ChecklistItemOut(BaseModel):
    """One checklist item."""

    code: str
    label: str
    points: int


class ChecklistOut(BaseModel):
    """The checklist reviewers score against."""

    items: list[ChecklistItemOut]
    total: int
    pass_mark: int


class ScoredItem(BaseModel):
    """One item as scored."""

    code: str
    label: str
    points: int
    awarded: int
    note: str


class SampleOut(BaseModel):
    """A drawn case and what became of it."""

    id: int
    case_id: int
    case_no: str
    party: str
    section: str | None
    handler: str | None
    closed_on: date | None
    position: int = Field(description="1-based order in which the draw took it")
    score: int | None
    pass_mark: int | None
    passed: bool | None
    items: list[ScoredItem] | None
    findings: str | None
    reviewed_on: date | None
    reviewed_by: str | None
    revisited_on: date | None
    revisit_outcome: str | None
    revisit_satisfaction: int | None


class DrawOut(BaseModel):
    """A draw: how it was made (anyone can redo it) and what it drew."""

    id: int
    kind: str = Field(description="review (monthly 案卷评查) or revisit (quarterly 回访)")
    period: str
    share: float
    seed: str = Field(
        description="Derived from the agency, kind and period (SHA-256); with the population, "
        "Python's random.Random(int(seed, 16)).sample(population, size) gives the sample"
    )
    population: list[int] = Field(
        description="Ids of the eligible cases (closed in the period, not drawn before), ascending"
    )
    size: int = Field(description="ceil(share × population)")
    drawn_at: datetime
    drawn_by: str
    samples: list[SampleOut]
