"""01 约谈线索核实报告: the clue verification report."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from doc_templates.fields.common import (
    ApplicableSituation,
    ClueSource,
    EvidenceItem,
    FieldModel,
    Officer,
    ShortText,
    Text,
)
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class ClueReport(FieldModel):
    """Fields of 约谈线索核实报告."""

    model_config = ConfigDict(
        title="约谈线索核实报告",
        json_schema_extra={"description": "线索来源、核实事实、证据、适用情形和承办人"},
    )

    source: ClueSource = Field(
        title="线索来源", description="日常巡查、投诉举报、上级交办、部门移送或自查发现"
    )
    clue_received_on: date = Field(title="线索接收日期", description="收到线索的日期")
    verified_on: date = Field(
        title="核实日期", description="完成核实的日期（线索接收后3个工作日内）"
    )
    clue_summary: Text = Field(title="线索概要", description="线索反映的主要问题")
    facts: Text = Field(title="核实查明的事实", description="经现场核查查明的违法事实")
    provisions_violated: list[ShortText] = Field(
        min_length=1, title="违反的规定", description="涉嫌违反的法律、法规、规章条款"
    )
    evidence: list[EvidenceItem] = Field(
        min_length=1, title="证据清单", description="证据名称、种类和页数"
    )
    reason: Text = Field(title="约谈必要性", description="需要进行行政约谈的理由")
    situation: ApplicableSituation = Field(title="适用情形", description="符合的行政约谈适用情形")
    no_exclusion_applies: Literal[True] = Field(
        title="不存在排除情形", description="确认不存在不适用行政约谈的排除情形"
    )
    officers: list[Officer] = Field(
        min_length=2, max_length=2, title="承办人", description="两名承办执法人员及执法证号"
    )


SPEC = TemplateSpec(
    code="01",
    name="约谈线索核实报告",
    category="initiation",
    pack=INTERVIEW,
    type_code="核",
    model=ClueReport,
    act="verification_done",
    act_date="verified_on",
    act_time=None,
    interview_date=None,
)
