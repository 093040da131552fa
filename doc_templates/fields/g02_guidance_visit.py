"""G02 行政指导回访记录: the follow-up visit after guidance (回访, 后续评估).

Reference 003 第十三条（八）: the visit checks the corrective measures, asks whether the officers
behaved lawfully and collects the party's opinions; reference 002 asks for a 后续评估.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from doc_templates.fields.common import (
    ChineseEnum,
    FieldModel,
    Officer,
    Person,
    ShortText,
    Text,
    reference,
)
from doc_templates.packs import GUIDANCE
from doc_templates.spec import TemplateSpec


class VisitMethod(ChineseEnum):
    """How the visit was made."""

    __cn_title__ = "回访方式"
    __cn_desc__ = "实地、电话或书面回访"

    ON_SITE = "实地回访"
    PHONE = "电话回访"
    WRITTEN = "书面回访"


class Adoption(ChineseEnum):
    """Whether the party followed the guidance."""

    __cn_title__ = "采纳情况"
    __cn_desc__ = "当事人对指导建议的采纳情况"

    ALL = "全部采纳"
    PART = "部分采纳"
    NONE = "未采纳"


class Satisfaction(ChineseEnum):
    """The party's satisfaction with the guidance and the officers."""

    __cn_title__ = "满意度"
    __cn_desc__ = "当事人对行政指导工作的评价"

    SATISFIED = "满意"
    MOSTLY = "基本满意"
    DISSATISFIED = "不满意"


class GuidanceVisit(FieldModel):
    """Fields of 行政指导回访记录."""

    model_config = ConfigDict(
        title="行政指导回访记录",
        json_schema_extra={"description": "回访时间、方式、采纳情况、意见建议和评估意见"},
    )

    document_id: int = reference("行政指导建议书", "本案的行政指导建议书（文书ID）", "G01")
    title: ShortText | None = Field(
        default=None, title="指导文书名称", description="由系统按所引用的文书填写"
    )
    doc_no: ShortText | None = Field(
        default=None, title="指导文书文号", description="由系统按所引用的文书填写"
    )
    visited_at: datetime = Field(title="回访时间", description="回访的日期和时间")
    method: VisitMethod = Field(title="回访方式", description="实地回访、电话回访或书面回访")
    place: ShortText = Field(title="回访地点", description="回访地点；电话回访写明通话对象")
    visitors: list[Officer] = Field(min_length=2, title="回访人员", description="不少于2名执法人员")
    interviewee: Person = Field(title="接受回访人", description="接受回访人的姓名及身份")
    adoption: Adoption = Field(title="采纳情况", description="全部采纳、部分采纳或未采纳")
    measures: Text = Field(
        title="采取的措施及效果", description="当事人根据指导采取的措施和取得的效果"
    )
    opinion: Text = Field(title="意见建议", description="当事人对行政指导工作的意见和建议")
    conduct: Text = Field(
        title="执法人员廉洁文明情况",
        description="执法人员在指导过程中是否存在违法违纪行为",
    )
    satisfaction: Satisfaction = Field(title="满意度", description="满意、基本满意或不满意")
    evaluation: Text = Field(title="回访评估意见", description="对指导效果的后续评估和下一步措施")


SPEC = TemplateSpec(
    code="G02",
    name="行政指导回访记录",
    category="result",
    pack=GUIDANCE,
    type_code="访",
    model=GuidanceVisit,
    act="follow_up_visited",
    act_date="visited_at",
    act_time="visited_at",
    interview_date=None,
)
