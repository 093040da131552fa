"""12 行政处罚事先告知书: the prior notice of an intended penalty."""

from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator

from doc_templates.fields.common import EvidenceItem, FieldModel, Phone, ShortText, Text, reference
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class PenaltyNotice(FieldModel):
    """Fields of 行政处罚事先告知书."""

    model_config = ConfigDict(
        title="行政处罚事先告知书",
        json_schema_extra={"description": "违法事实、证据、依据、拟处罚及陈述申辩听证权利"},
    )

    record_id: int = reference(
        "行政约谈记录", "作为证据的本案行政约谈记录（文书ID），证据清单中应列明", "07"
    )

    rectification_outcome: Text = Field(
        title="整改情况", description="逾期未整改或整改验收不合格的情况"
    )
    facts: Text = Field(title="违法事实", description="经查明的违法事实")
    evidence: list[EvidenceItem] = Field(
        min_length=1, title="证据", description="认定违法事实的证据，须包括行政约谈记录"
    )
    provisions_violated: list[ShortText] = Field(
        min_length=1, title="违反的规定", description="违反的法律条款"
    )
    penalty_basis: list[ShortText] = Field(
        min_length=1, title="处罚依据", description="拟作出处罚所依据的条款"
    )
    intended_penalty: Text = Field(title="拟作出的行政处罚", description="拟作出的处罚种类和幅度")
    statement_days: int = Field(
        default=5,
        ge=3,
        le=15,
        title="陈述申辩期限（日）",
        description="收到告知书后提出陈述、申辩的期限",
    )
    hearing_applicable: bool = Field(
        title="适用听证", description="拟作出的处罚是否属于可以要求听证的范围"
    )
    hearing_days: int = Field(
        default=5, ge=5, le=15, title="听证申请期限（日）", description="收到告知书后要求听证的期限"
    )
    contact_person: ShortText = Field(title="联系人", description="承办联系人")
    contact_phone: Phone = Field(title="联系电话", description="承办联系电话")
    agency_address: ShortText = Field(
        title="机关地址", description="陈述、申辩和听证申请的提交地址"
    )

    @field_validator("evidence")
    @classmethod
    def _interview_record_attached(cls, value: list[EvidenceItem]) -> list[EvidenceItem]:
        if not any("约谈记录" in e.name for e in value):
            raise ValueError("证据中应包括行政约谈记录")
        return value


SPEC = TemplateSpec(
    code="12",
    name="行政处罚事先告知书",
    category="result",
    pack=INTERVIEW,
    type_code="罚告",
    model=PenaltyNotice,
    act="penalty_started",
    act_date=None,
    act_time=None,
    interview_date=None,
)
