"""G01 行政指导建议书: the written guidance (提示、辅导、建议、规劝、告诫) of the guidance pack.

Reference 002: guidance is non-binding — the party chooses freely whether to follow it and
suffers nothing for declining; the document says so, and asks for feedback by a date.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import (
    ChineseEnum,
    FieldModel,
    Phone,
    ServiceMethod,
    ShortText,
    Text,
)
from doc_templates.packs import GUIDANCE
from doc_templates.spec import TemplateSpec


class GuidanceKind(ChineseEnum):
    """How the office guides (指导方式, reference 003 第十三条, reference 002 二)."""

    __cn_title__ = "指导方式"
    __cn_desc__ = "行政指导的方式"

    PROMPT = "提示"
    COACHING = "辅导"
    ADVICE = "建议"
    DISSUASION = "规劝"
    WARNING = "告诫"


class GuidanceAdvice(FieldModel):
    """Fields of 行政指导建议书."""

    model_config = ConfigDict(
        title="行政指导建议书",
        json_schema_extra={"description": "发现的情况、依据、指导建议和反馈期限"},
    )

    kind: GuidanceKind = Field(title="指导方式", description="提示、辅导、建议、规劝或告诫")
    guided_on: date = Field(title="指导日期", description="实施行政指导（检查、走访或约见）的日期")
    situation: Text = Field(
        title="发现的情况", description="日常监管中发现的问题、风险或需要提示的事项"
    )
    legal_basis: list[ShortText] = Field(
        min_length=1, title="法律依据", description="指导所依据的法律、法规、规章或政策"
    )
    suggestions: list[Text] = Field(
        min_length=1, title="指导建议", description="建议当事人采取的措施，逐条列明"
    )
    feedback_by: date = Field(title="反馈期限", description="请当事人反馈采纳情况的日期")
    contact_person: ShortText = Field(title="联系人", description="承办联系人")
    contact_phone: Phone = Field(title="联系电话", description="承办联系电话")
    service_method: ServiceMethod = Field(
        title="送达方式", description="直接送达、邮寄送达或电子送达"
    )

    @field_validator("feedback_by")
    @classmethod
    def _after_guidance(cls, value: date, info: ValidationInfo) -> date:
        guided = info.data.get("guided_on")
        if guided is not None and value <= guided:
            raise ValueError("反馈期限应晚于指导日期")
        return value


SPEC = TemplateSpec(
    code="G01",
    name="行政指导建议书",
    category="implementation",
    pack=GUIDANCE,
    type_code="建",
    model=GuidanceAdvice,
    act="guidance_given",
    act_date=None,
    act_time=None,
    interview_date="guided_on",
)
