"""Fields shared by the mediation documents M01–M03: the other party of the dispute.

The case's party (当事人) is one side of the dispute; the other side is named on each
document (a mediation case has one 案号 and one 当事人 like every case)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from doc_templates.fields.common import FieldModel, ShortText


class OtherParty(FieldModel):
    """The other party of a dispute (对方当事人)."""

    model_config = ConfigDict(
        title="对方当事人",
        json_schema_extra={"description": "纠纷另一方的姓名或名称、证件号码、住址和电话"},
    )

    name: ShortText = Field(title="姓名或名称", description="对方当事人的姓名或单位名称")
    id_code: ShortText = Field(title="证件号码", description="身份证号码或统一社会信用代码")
    address: ShortText = Field(title="住址", description="住所地或经营地址")
    phone: ShortText = Field(title="联系电话", description="对方当事人的联系电话")
