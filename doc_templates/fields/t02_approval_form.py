"""02 行政约谈审批表: the interview approval form."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from doc_templates.fields.common import (
    ChineseEnum,
    FieldModel,
    Officer,
    Opinion,
    ShortText,
    Text,
)
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class Interviewer(Officer):
    """An interviewer, flagged when qualified for legal review."""

    model_config = ConfigDict(
        title="约谈人员", json_schema_extra={"description": "约谈人员及法制审核资格"}
    )

    legal_review_qualified: bool = Field(
        default=False, title="具有法制审核资格", description="是否取得法制审核资格"
    )


class ApprovalDecision(ChineseEnum):
    """The approving leader's decision."""

    __cn_title__ = "审批结论"
    __cn_desc__ = "领导审批结论"

    APPROVE = "同意约谈"
    REJECT = "不同意约谈"


class ApprovalForm(FieldModel):
    """Fields of 行政约谈审批表."""

    model_config = ConfigDict(
        title="行政约谈审批表",
        json_schema_extra={"description": "拟约谈安排、约谈人员及各级审批意见"},
    )

    summary: Text = Field(title="简要案情", description="违法线索及核实情况摘要")
    proposed_time: datetime = Field(title="拟约谈时间", description="拟定的约谈日期和时间")
    proposed_place: ShortText = Field(title="拟约谈地点", description="拟定的约谈地点")
    interviewers: list[Interviewer] = Field(
        min_length=2, title="约谈人员", description="不少于2名，其中至少1名具有法制审核资格"
    )
    major_case: bool = Field(title="重大案件", description="是否属于重大案件（重大案件由组长审批）")
    section_opinion: Opinion = Field(
        default_factory=Opinion, title="承办科室意见", description="业务执法科意见、签名和日期"
    )
    legal_opinion: Opinion = Field(
        default_factory=Opinion, title="法制科意见", description="法制科审核意见、签名和日期"
    )
    leader_opinion: Opinion = Field(
        default_factory=Opinion,
        title="领导审批意见",
        description="一般案件由分管副组长、重大案件由组长签署",
    )

    decision: ApprovalDecision | None = Field(
        default=None,
        title="审批结论",
        description="领导签署的结论；与领导审批意见的签署日期一并填写即记为审批完成，"
        "表格先行打印、手写签批的，签批后另行登记审批",
    )

    @model_validator(mode="after")
    def _one_interviewer_qualified(self) -> Self:
        if not any(i.legal_review_qualified for i in self.interviewers):
            raise ValueError("约谈人员中至少1名应具有法制审核资格")
        return self


SPEC = TemplateSpec(
    code="02",
    name="行政约谈审批表",
    category="initiation",
    pack=INTERVIEW,
    type_code="批",
    model=ApprovalForm,
    act="approval_signed",
    act_date="leader_opinion.signed_on",
    act_time=None,
    interview_date=None,
)
