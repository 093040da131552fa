"""07 行政约谈记录: the interview record."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import (
    FieldModel,
    Officer,
    Person,
    RectificationItem,
    ShortText,
    Text,
)
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class InterviewRecord(FieldModel):
    """Fields of 行政约谈记录."""

    model_config = ConfigDict(
        title="行政约谈记录",
        json_schema_extra={"description": "约谈经过、违法事实、陈述申辩、整改要求和签名"},
    )

    started_at: datetime = Field(title="约谈开始时间", description="约谈开始的日期和时间")
    ended_at: datetime = Field(title="约谈结束时间", description="约谈结束的日期和时间")
    place: ShortText = Field(title="约谈地点", description="约谈地点")
    interviewers: list[Officer] = Field(
        min_length=2, title="约谈人员", description="不少于2名执法人员"
    )
    recorder: ShortText = Field(title="记录人", description="记录人姓名")
    attendees: list[Person] = Field(
        min_length=1, title="被约谈方参加人员", description="当事人及其委托代理人等参加人员"
    )
    certificates_shown: Literal[True] = Field(
        title="出示执法证件", description="约谈人员已出示执法证件"
    )
    rights_informed: Literal[True] = Field(
        title="告知陈述申辩权", description="已告知当事人享有陈述、申辩的权利"
    )
    facts: Text = Field(title="违法事实", description="当事人存在的违法行为")
    provisions: list[ShortText] = Field(
        min_length=1, title="违反的规定", description="违反的法律条款"
    )
    evidence: list[ShortText] = Field(min_length=1, title="证据", description="认定违法事实的证据")
    discussion: list[Text] = Field(
        min_length=1, title="约谈要点", description="约谈中指出的问题和交流要点"
    )
    party_statement: Text = Field(title="当事人陈述申辩", description="当事人的陈述和申辩")
    period_days: int = Field(
        ge=1, le=30, title="整改期限（日）", description="整改期限，一般不超过30日"
    )
    items: list[RectificationItem] = Field(
        min_length=1, title="整改事项", description="整改事项、依据、期限和标准"
    )
    commitment: Text = Field(title="当事人承诺", description="当事人对整改作出的承诺")
    refused_to_sign: bool = Field(default=False, title="拒绝签名", description="当事人是否拒绝签名")
    refusal_witnesses: list[Person] = Field(
        default_factory=list,
        validate_default=True,
        title="拒签见证人",
        description="当事人拒绝签名时的见证人（2人以上）",
    )

    @field_validator("ended_at")
    @classmethod
    def _ends_after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        started = info.data.get("started_at")
        if started is not None and value <= started:
            raise ValueError("约谈结束时间应晚于开始时间")
        return value

    @field_validator("items")
    @classmethod
    def _deadlines_within_period(
        cls, value: list[RectificationItem], info: ValidationInfo
    ) -> list[RectificationItem]:
        started, days = info.data.get("started_at"), info.data.get("period_days")
        if started is not None and days is not None:
            last_day = started.date() + timedelta(days=days)
            for item in value:
                if item.deadline > last_day:
                    raise ValueError(f"整改事项“{item.item}”的期限超出{days}日整改期限")
        return value

    @field_validator("refusal_witnesses")
    @classmethod
    def _refusal_witnessed(cls, value: list[Person], info: ValidationInfo) -> list[Person]:
        if info.data.get("refused_to_sign") and len(value) < 2:
            raise ValueError("当事人拒绝签名的，应有2名以上见证人")
        return value


SPEC = TemplateSpec(
    code="07",
    name="行政约谈记录",
    category="implementation",
    pack=INTERVIEW,
    type_code="记",
    model=InterviewRecord,
    act="interview_held",
    act_date="started_at",
    act_time="started_at",
    interview_date="started_at",
)
