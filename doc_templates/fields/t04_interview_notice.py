"""04 行政约谈通知书: the interview notice."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from doc_templates.fields.common import (
    FieldModel,
    Officer,
    Phone,
    ServiceMethod,
    ShortText,
    Text,
)
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class InterviewNotice(FieldModel):
    """Fields of 行政约谈通知书."""

    model_config = ConfigDict(
        title="行政约谈通知书",
        json_schema_extra={"description": "约谈依据、时间、地点、人员、需携带材料和送达方式"},
    )

    legal_basis: list[ShortText] = Field(
        min_length=1, title="法律依据", description="约谈所依据的条款"
    )
    interview_time: datetime = Field(title="约谈时间", description="约谈的日期和时间")
    place: ShortText = Field(title="约谈地点", description="约谈地点")
    interviewers: list[Officer] = Field(
        min_length=2, title="约谈人员", description="不少于2名执法人员"
    )
    attendee_requirement: Text = Field(
        title="参加人员要求",
        description="如法定代表人或主要负责人本人参加，委托他人须出具授权委托书",
    )
    materials: list[ShortText] = Field(
        min_length=1, title="需携带材料", description="营业执照、整改方案、资格证书等"
    )
    contact_person: ShortText = Field(title="联系人", description="承办联系人")
    contact_phone: Phone = Field(title="联系电话", description="承办联系电话")
    refusal_consequences: Text = Field(
        title="拒不参加的后果", description="无正当理由拒不参加约谈的法律后果"
    )
    service_method: ServiceMethod = Field(
        title="送达方式", description="直接送达、邮寄送达或电子送达"
    )


SPEC = TemplateSpec(
    code="04",
    name="行政约谈通知书",
    category="implementation",
    pack=INTERVIEW,
    type_code="通",
    model=InterviewNotice,
    act="notice_issued",
    act_date=None,
    act_time=None,
    interview_date="interview_time",
)
