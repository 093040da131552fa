"""Fields shared by the acceptance opinion (10) and certificate (11)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import FieldModel, Officer, Text


class AcceptanceBase(FieldModel):
    """Report received, inspection date and the inspectors."""

    model_config = ConfigDict(
        title="整改验收", json_schema_extra={"description": "整改报告及验收人员"}
    )

    report_received_on: date = Field(
        title="收到整改报告日期", description="收到当事人整改报告的日期"
    )
    report_summary: Text = Field(title="整改报告情况", description="当事人报告的整改情况")
    accepted_on: date = Field(title="验收日期", description="现场验收日期（收到报告后5个工作日内）")
    inspectors: list[Officer] = Field(
        min_length=2, title="验收人员", description="不少于2名验收人员"
    )

    @field_validator("accepted_on")
    @classmethod
    def _after_report(cls, value: date, info: ValidationInfo) -> date:
        received = info.data.get("report_received_on")
        if received is not None and value < received:
            raise ValueError("验收日期不得早于收到整改报告日期")
        return value
