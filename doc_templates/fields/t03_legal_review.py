"""03 法制审核意见书: the legal review opinion."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from doc_templates.fields.common import ChineseEnum, FieldModel, Officer, ShortText, Text
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class ReviewConclusion(ChineseEnum):
    """Outcome of the legal review."""

    __cn_title__ = "审核结论"
    __cn_desc__ = "法制审核结论"

    APPROVE = "同意约谈"
    SUPPLEMENT = "补充材料后再审"
    REJECT = "不同意约谈"


class ReviewCheck(FieldModel):
    """One point of the legality review."""

    model_config = ConfigDict(title="审核事项", json_schema_extra={"description": "审核结果及说明"})

    passed: bool = Field(title="是否符合", description="该审核事项是否符合要求")
    note: Text = Field(title="审核说明", description="审核发现的情况")


class LegalReview(FieldModel):
    """Fields of 法制审核意见书."""

    model_config = ConfigDict(
        title="法制审核意见书", json_schema_extra={"description": "合法性审核事项及审核结论"}
    )

    submitted_by: ShortText = Field(title="送审科室", description="提交法制审核的科室")
    submitted_on: date = Field(title="送审日期", description="收到送审材料的日期")
    reviewed_on: date = Field(
        title="审核日期", description="完成审核的日期（一般2个工作日，重大5个工作日）"
    )
    major_case: bool = Field(title="重大案件", description="是否属于重大案件")
    party_identified: ReviewCheck = Field(title="当事人认定", description="当事人是否认定准确")
    facts_clear: ReviewCheck = Field(title="事实认定", description="事实是否清楚")
    evidence_sufficient: ReviewCheck = Field(title="证据情况", description="证据是否确实充分")
    procedure_lawful: ReviewCheck = Field(title="程序情况", description="程序是否合法")
    law_applied: ReviewCheck = Field(title="法律适用", description="适用法律是否正确")
    conclusion: ReviewConclusion = Field(title="审核结论", description="同意、补充材料或不同意")
    opinion: Text = Field(title="审核意见", description="具体审核意见和建议")
    reviewers: list[Officer] = Field(
        min_length=1, max_length=3, title="审核人员", description="法制审核人员"
    )
    legal_head: ShortText | None = Field(
        default=None,
        title="法制科负责人",
        description="签署审核意见的法制科负责人姓名，印在签名线旁；不填则留空",
    )


SPEC = TemplateSpec(
    code="03",
    name="法制审核意见书",
    category="initiation",
    pack=INTERVIEW,
    type_code="审",
    model=LegalReview,
    act="legal_review_concluded",
    act_date="reviewed_on",
    act_time=None,
    interview_date=None,
)
