"""M02 调解笔录: the mediation session, recorded in full (reference 003 第十八条（三）)."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import (
    ChineseEnum,
    FieldModel,
    Officer,
    Person,
    ShortText,
    Text,
)
from doc_templates.fields.mediation import OtherParty
from doc_templates.packs import MEDIATION
from doc_templates.spec import TemplateSpec


class MediationOutcome(ChineseEnum):
    """How the session ended."""

    __cn_title__ = "调解结果"
    __cn_desc__ = "达成或未达成调解协议"

    AGREED = "达成调解协议"
    NOT_AGREED = "未达成调解协议"


class MediationRecord(FieldModel):
    """Fields of 调解笔录."""

    model_config = ConfigDict(
        title="调解笔录",
        json_schema_extra={"description": "调解的时间、地点、人员、各方陈述、争议焦点和结果"},
    )

    started_at: datetime = Field(title="调解开始时间", description="调解开始的日期和时间")
    ended_at: datetime = Field(title="调解结束时间", description="调解结束的日期和时间")
    place: ShortText = Field(title="调解地点", description="调解地点")
    mediators: list[Officer] = Field(
        min_length=2, title="调解人员", description="不少于2名执法人员"
    )
    recorder: ShortText = Field(title="记录人", description="记录人员姓名")
    other_party: OtherParty = Field(title="对方当事人", description="纠纷另一方的情况")
    attendees: list[Person] = Field(
        min_length=2, title="参加人员", description="各方当事人及其代理人，写明身份"
    )
    invited: list[Person] = Field(
        default_factory=list,
        title="邀请参加人员",
        description="邀请参与调解的专家学者、社会人士（可无）",
    )
    rights_informed: bool = Field(
        title="已告知权利义务", description="是否已告知当事人调解中的权利、程序和注意事项"
    )
    party_statement: Text = Field(title="当事人陈述", description="本案当事人的陈述和请求")
    other_statement: Text = Field(
        title="对方当事人陈述", description="对方当事人的陈述、申辩和质证意见"
    )
    facts: Text = Field(title="查明的事实", description="调解中查明的纠纷基本事实")
    focus: list[ShortText] = Field(min_length=1, title="争议焦点", description="归纳的各方争议焦点")
    mediation: Text = Field(title="调解过程", description="依据法律法规对当事人说服、劝导的情况")
    outcome: MediationOutcome = Field(title="调解结果", description="达成或未达成调解协议")
    outcome_note: Text = Field(
        title="结果说明",
        description="达成协议的主要内容；未达成的，告知通过复议、诉讼、仲裁等途径解决",
    )

    @field_validator("ended_at")
    @classmethod
    def _after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        started = info.data.get("started_at")
        if started is not None and value <= started:
            raise ValueError("调解结束时间应晚于开始时间")
        return value


SPEC = TemplateSpec(
    code="M02",
    name="调解笔录",
    category="implementation",
    pack=MEDIATION,
    type_code="录",
    model=MediationRecord,
    act="mediation_held",
    act_date="started_at",
    act_time="started_at",
    interview_date="started_at",
)
