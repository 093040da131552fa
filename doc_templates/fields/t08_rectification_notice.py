"""08 整改通知书: the rectification notice."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import FieldModel, Phone, RectificationItem, ShortText, Text
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class RectificationNotice(FieldModel):
    """Fields of 整改通知书."""

    model_config = ConfigDict(
        title="整改通知书",
        json_schema_extra={"description": "整改事项、依据、期限、验收标准和法律后果"},
    )

    interview_on: date = Field(title="约谈日期", description="行政约谈的日期")
    findings: Text = Field(title="存在的问题", description="约谈中查明的主要问题")
    legal_basis: list[ShortText] = Field(
        min_length=1, title="法律依据", description="责令整改的法律依据"
    )
    deadline: date = Field(
        title="整改期限", description="全部整改完成的日期（一般不超过约谈后30日）"
    )
    items: list[RectificationItem] = Field(
        min_length=1, title="整改事项", description="整改事项、依据、期限和标准"
    )
    report_due: date = Field(
        title="整改报告报送期限", description="整改报告应在整改期限届满前3个工作日内报送"
    )
    consequences: Text = Field(
        title="逾期未整改的法律后果", description="逾期不整改或整改不到位的后果"
    )
    contact_person: ShortText = Field(title="联系人", description="承办联系人")
    contact_phone: Phone = Field(title="联系电话", description="承办联系电话")

    @field_validator("deadline")
    @classmethod
    def _within_thirty_days(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("interview_on")
        if start is not None and not start < value <= start + timedelta(days=30):
            raise ValueError("整改期限应在约谈后30日内")
        return value

    @field_validator("items")
    @classmethod
    def _items_within_deadline(
        cls, value: list[RectificationItem], info: ValidationInfo
    ) -> list[RectificationItem]:
        deadline = info.data.get("deadline")
        if deadline is not None and any(i.deadline > deadline for i in value):
            raise ValueError("单项整改期限不得晚于整改期限")
        return value

    @field_validator("report_due")
    @classmethod
    def _report_before_deadline(cls, value: date, info: ValidationInfo) -> date:
        deadline = info.data.get("deadline")
        if deadline is not None and value >= deadline:
            raise ValueError("整改报告报送期限应早于整改期限")
        return value


SPEC = TemplateSpec(
    code="08",
    name="整改通知书",
    category="result",
    pack=INTERVIEW,
    type_code="改",
    model=RectificationNotice,
    act="rectification_notice_issued",
    act_date=None,
    act_time=None,
    interview_date=None,
)
