"""M03 调解协议书: the agreement the parties reached (reference 003 第十八条（四）: the
parties, the matter, the facts found, the result, every party's signature and the seal)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from doc_templates.fields.common import FieldModel, Officer, Text
from doc_templates.fields.mediation import OtherParty
from doc_templates.packs import MEDIATION
from doc_templates.spec import TemplateSpec


class MediationAgreement(FieldModel):
    """Fields of 调解协议书."""

    model_config = ConfigDict(
        title="调解协议书",
        json_schema_extra={"description": "调解事项、查证的事实、协议内容和履行方式"},
    )

    other_party: OtherParty = Field(title="对方当事人", description="纠纷另一方的情况")
    matter: Text = Field(title="调解事项", description="提请调解的争议事项")
    facts: Text = Field(title="查证的事实", description="调解中查证的基本事实")
    terms: list[Text] = Field(
        min_length=1, title="协议内容", description="各方自愿达成的协议条款，逐条列明"
    )
    performance: Text = Field(title="履行方式和期限", description="协议的履行方式、地点和期限")
    agreed_on: date = Field(title="达成协议日期", description="各方达成协议的日期")
    mediators: list[Officer] = Field(
        min_length=2, title="调解人员", description="主持调解的执法人员"
    )
    copies: int = Field(
        ge=2, le=10, title="协议份数", description="协议书一式几份（各方各执一份，机关存档一份）"
    )


SPEC = TemplateSpec(
    code="M03",
    name="调解协议书",
    category="result",
    pack=MEDIATION,
    type_code="协",
    model=MediationAgreement,
    act="mediation_agreed",
    act_date="agreed_on",
    act_time=None,
    interview_date=None,
)
