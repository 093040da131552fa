"""Request and response bodies of the case API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from doc_templates.packs import INTERVIEW, PACKS
from service.calendar.workdays import CalendarDate
from service.cases.models import CaseOutcome, CaseStatus, PartyKind
from service.schemas import RequestModel


class PartyIn(RequestModel):
    """The party (当事人) of a case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, title="当事人名称")
    kind: PartyKind = Field(title="当事人类型")
    id_code: str | None = Field(default=None, max_length=64, title="统一社会信用代码/身份证号")
    representative: str | None = Field(default=None, max_length=100, title="法定代表人/负责人")
    address: str | None = Field(default=None, max_length=300, title="住所/地址")
    phone: str | None = Field(default=None, max_length=40, title="联系电话")


class CaseCreate(RequestModel):
    """Open a case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    party: PartyIn = Field(title="当事人")
    cause: str = Field(
        min_length=1, max_length=2000, title="案由", description="约谈事由, 指导事项 or 调解事项"
    )
    pack: str = Field(
        default=INTERVIEW,
        min_length=1,
        max_length=16,
        title="模板包",
        description="The template pack the case uses: "
        + ", ".join(f"{p.code} ({p.name})" for p in PACKS.values()),
    )
    major: bool = Field(default=False, title="重大案件")
    livelihood: bool = Field(default=False, title="涉及民生保障")
    urgent: bool = Field(default=False, title="紧急约谈")
    clue_received_on: CalendarDate | None = Field(
        default=None,
        title="线索接收日期",
        description="When the clue was received (default: today); not in the future",
    )
    section: str | None = Field(default=None, min_length=1, max_length=100, title="承办科室")
    handler: str | None = Field(default=None, min_length=1, max_length=100, title="承办人")
    external_ref: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        title="外部系统编号",
        description="The caller's own id for the case; repeating it returns the same case.",
    )

    @field_validator("pack")
    @classmethod
    def _known_pack(cls, value: str) -> str:
        if value not in PACKS:
            raise ValueError(f"unknown pack {value!r}; one of {', '.join(PACKS)}")
        return value


class CaseClose(RequestModel):
    """Close a case."""

    model_config = ConfigDict(extra="forbid")

    outcome: CaseOutcome = Field(
        title="结案情形",
        description="passed: 整改验收合格 (needs a passing 10); penalty: 转入行政处罚程序 "
        "(needs a 12); other: 其他",
    )
    closed_on: CalendarDate | None = Field(
        default=None,
        title="结案日期",
        description="Default: today; not in the future, not before the case's last act",
    )
    satisfaction: int | None = Field(
        default=None,
        ge=0,
        le=100,
        title="满意度",
        description="0–100, where the party was surveyed",
    )


class PartyOut(BaseModel):
    """The party as stored."""

    name: str
    kind: PartyKind
    id_code: str | None
    representative: str | None
    address: str | None
    phone: str | None


class StepOut(BaseModel):
    """A step of the case: when it is due, whether it is done, its warning."""

    step: str = Field(
        description="verification, legal_review, approval, notice, service, "
        "interview, rectification, report, acceptance, archiving"
    )
    label: str
    status: str = Field(description="pending, open or done")
    started_on: date | None
    due: date | datetime | None = Field(
        description="the due date, or (an urgent interview) the due date-time"
    )
    done_on: date | None
    warning: str | None = Field(
        description="null, yellow (at most the configured working days left), red (overdue, "
        "or done late)"
    )
    provisional: bool = Field(
        description="the due date lies in a year whose holiday schedule is not published yet"
    )


class CaseOut(BaseModel):
    """A case."""

    id: int
    case_no: str
    pack: str = Field(description="the template pack the case uses")
    status: CaseStatus
    stage: str = Field(description="the first step not done yet, or closed / archived")
    party: PartyOut
    cause: str
    major: bool
    livelihood: bool
    urgent: bool
    section: str | None
    handler: str | None
    clue_received_on: date
    external_ref: str | None
    outcome: CaseOutcome | None
    closed_on: date | None
    satisfaction: int | None
    closed_at: datetime | None
    archive_error: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    steps: list[StepOut]
