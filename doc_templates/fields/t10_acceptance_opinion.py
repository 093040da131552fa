"""10 整改验收意见书: the acceptance opinion."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from doc_templates.fields.acceptance import AcceptanceBase
from doc_templates.fields.common import ChineseEnum, FieldModel, Text, reference
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class Outcome(ChineseEnum):
    """Result of one acceptance check."""

    __cn_title__ = "验收结果"
    __cn_desc__ = "单项验收结果"

    MET = "符合"
    NOT_MET = "不符合"


class AcceptanceConclusion(ChineseEnum):
    """Overall acceptance conclusion."""

    __cn_title__ = "验收结论"
    __cn_desc__ = "整改验收结论"

    PASSED = "验收合格"
    FAILED = "验收不合格"


class AcceptanceCheck(FieldModel):
    """One checked rectification item."""

    model_config = ConfigDict(title="验收事项", json_schema_extra={"description": "逐项验收情况"})

    item: Text = Field(title="验收事项", description="验收的整改事项")
    standard: Text = Field(title="验收标准", description="整改通知书确定的验收标准")
    outcome: Outcome = Field(title="验收结果", description="符合或不符合")
    note: Text = Field(title="验收情况", description="现场核查情况")


class AcceptanceOpinion(AcceptanceBase):
    """Fields of 整改验收意见书."""

    model_config = ConfigDict(
        title="整改验收意见书", json_schema_extra={"description": "验收审查情况、结论和后续监管"}
    )

    notice_id: int = reference("整改通知书", "本案的整改通知书（文书ID）", "08")

    materials_complete: bool = Field(title="整改材料完整", description="整改报告及佐证材料是否完整")
    measures_lawful: bool = Field(title="整改措施合法", description="整改措施是否合法")
    target_met: bool = Field(title="达到整改目标", description="是否达到整改目标")
    checks: list[AcceptanceCheck] = Field(
        min_length=1, title="验收事项", description="逐项验收情况"
    )
    conclusion: AcceptanceConclusion = Field(title="验收结论", description="验收合格或不合格")
    opinion: Text = Field(title="验收意见", description="验收意见及理由")
    follow_up: Text = Field(title="后续监管措施", description="验收后的跟踪监管安排")


SPEC = TemplateSpec(
    code="10",
    name="整改验收意见书",
    category="result",
    pack=INTERVIEW,
    type_code="验",
    model=AcceptanceOpinion,
    act="acceptance_concluded",
    act_date="accepted_on",
    act_time=None,
    interview_date=None,
)
