"""11 整改验收合格书: the acceptance certificate."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from doc_templates.fields.acceptance import AcceptanceBase
from doc_templates.fields.common import ShortText, Text, reference
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class AcceptanceCertificate(AcceptanceBase):
    """Fields of 整改验收合格书: only issued when every check passed."""

    model_config = ConfigDict(
        title="整改验收合格书", json_schema_extra={"description": "验收合格事项和后续监管"}
    )

    notice_id: int = reference("整改通知书", "本案的整改通知书（文书ID）", "08")
    notice_no: ShortText | None = Field(
        default=None, title="整改通知书文号", description="由系统按整改通知书填写"
    )
    items_accepted: list[Text] = Field(
        min_length=1, title="验收合格事项", description="经验收合格的整改事项"
    )
    materials_complete: Literal[True] = Field(title="整改材料完整", description="整改材料完整")
    measures_lawful: Literal[True] = Field(title="整改措施合法", description="整改措施合法")
    target_met: Literal[True] = Field(title="达到整改目标", description="达到整改目标")
    follow_up: Text = Field(title="后续监管措施", description="合格后的回访和监管安排")


SPEC = TemplateSpec(
    code="11",
    name="整改验收合格书",
    category="result",
    pack=INTERVIEW,
    type_code="合",
    model=AcceptanceCertificate,
    act=None,
    act_date="accepted_on",
    act_time=None,
    interview_date=None,
)
