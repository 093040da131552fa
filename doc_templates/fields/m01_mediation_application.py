"""M01 调解申请登记表: how a mediation started, the dispute, the parties' consent and its
acceptance (reference 003 第十八条（一）（二）)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import ChineseEnum, FieldModel, Officer, ShortText, Text
from doc_templates.fields.mediation import OtherParty
from doc_templates.packs import MEDIATION
from doc_templates.spec import TemplateSpec


class MediationStart(ChineseEnum):
    """How a mediation starts."""

    __cn_title__ = "启动方式"
    __cn_desc__ = "依当事人申请或依职权启动（须征得当事人同意）"

    ON_APPLICATION = "依申请"
    EX_OFFICIO = "依职权"


class MediationApplication(FieldModel):
    """Fields of 调解申请登记表."""

    model_config = ConfigDict(
        title="调解申请登记表",
        json_schema_extra={"description": "启动方式、纠纷事项、调解请求、当事人同意和受理"},
    )

    started_by: MediationStart = Field(title="启动方式", description="依申请或依职权")
    applicant: ShortText = Field(
        title="申请人", description="申请调解的一方；依职权启动的写明提出调解的机构"
    )
    applied_on: date = Field(title="申请日期", description="收到调解申请或提出调解的日期")
    other_party: OtherParty = Field(title="对方当事人", description="纠纷另一方的情况")
    dispute: Text = Field(title="纠纷事项", description="争议纠纷的主要事实和经过")
    request: Text = Field(title="调解请求", description="申请人的具体调解请求")
    consent: bool = Field(
        title="各方同意调解", description="各方当事人是否同意接受行政调解（必须同意）"
    )
    accepted_on: date = Field(title="受理日期", description="决定受理调解的日期")
    acceptance_opinion: Text = Field(title="受理意见", description="承办机构的受理意见")
    session_at: datetime = Field(title="调解时间", description="告知当事人的调解时间")
    session_place: ShortText = Field(title="调解地点", description="告知当事人的调解地点")
    notes: Text = Field(title="注意事项", description="告知当事人的权利义务和调解注意事项")
    handlers: list[Officer] = Field(min_length=2, title="承办人员", description="不少于2名承办人员")

    @field_validator("consent")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("行政调解须征得各方当事人同意")
        return value

    @field_validator("accepted_on")
    @classmethod
    def _after_application(cls, value: date, info: ValidationInfo) -> date:
        applied = info.data.get("applied_on")
        if applied is not None and value < applied:
            raise ValueError("受理日期不得早于申请日期")
        return value

    @field_validator("session_at")
    @classmethod
    def _after_acceptance(cls, value: datetime, info: ValidationInfo) -> datetime:
        accepted = info.data.get("accepted_on")
        if accepted is not None and value.date() < accepted:
            raise ValueError("调解时间不得早于受理日期")
        return value


SPEC = TemplateSpec(
    code="M01",
    name="调解申请登记表",
    category="initiation",
    pack=MEDIATION,
    type_code="受",
    model=MediationApplication,
    act="mediation_accepted",
    act_date="accepted_on",
    act_time=None,
    interview_date=None,
)
