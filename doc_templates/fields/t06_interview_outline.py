"""06 约谈提纲: the interview outline."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from doc_templates.fields.common import FieldModel, Officer, ShortText, Text
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class InterviewOutline(FieldModel):
    """Fields of 约谈提纲."""

    model_config = ConfigDict(
        title="约谈提纲", json_schema_extra={"description": "约谈目的、依据、要点、问题和整改要求"}
    )

    interview_time: datetime = Field(title="约谈时间", description="约谈的日期和时间")
    place: ShortText = Field(title="约谈地点", description="约谈地点")
    interviewers: list[Officer] = Field(
        min_length=2, title="约谈人员", description="不少于2名执法人员"
    )
    purpose: Text = Field(title="约谈目的", description="本次约谈要达到的目的")
    legal_basis: list[ShortText] = Field(
        min_length=1, title="法律依据", description="约谈涉及的法律条款"
    )
    topics: list[Text] = Field(
        min_length=1, title="约谈要点", description="向当事人指出的问题和告知事项"
    )
    questions: list[Text] = Field(
        min_length=1, title="拟询问问题", description="约谈中拟询问的问题"
    )
    requirements: list[Text] = Field(
        min_length=1, title="拟提出的整改要求", description="拟提出的整改要求"
    )


SPEC = TemplateSpec(
    code="06",
    name="约谈提纲",
    category="implementation",
    pack=INTERVIEW,
    type_code="纲",
    model=InterviewOutline,
    act=None,
    act_date=None,
    act_time=None,
    interview_date=None,
)
