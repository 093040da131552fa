"""05 送达回证: the proof of service."""

from __future__ import annotations

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from doc_templates.fields.common import (
    FieldModel,
    Officer,
    Person,
    ServiceMethod,
    ShortText,
    Signature,
    reference,
)
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class ServedDocument(FieldModel):
    """A document handed over in this service."""

    model_config = ConfigDict(
        title="送达文书", json_schema_extra={"description": "文书名称、文号和份数"}
    )

    document_id: int = reference("送达文书", "本案已出具的文书（文书ID）", None)
    title: ShortText | None = Field(
        default=None, title="文书名称", description="由系统按所送达文书填写"
    )
    doc_no: ShortText | None = Field(
        default=None, title="文书文号", description="由系统按所送达文书填写"
    )
    copies: int = Field(default=1, ge=1, le=20, title="份数", description="送达份数")


class ServiceProof(FieldModel):
    """Fields of 送达回证."""

    model_config = ConfigDict(
        title="送达回证",
        json_schema_extra={"description": "送达文书、受送达人、送达方式、送达人和签收情况"},
    )

    documents: list[ServedDocument] = Field(
        min_length=1, title="送达文书", description="送达文书名称及文号"
    )
    recipient: ShortText | None = Field(
        default=None,
        title="受送达人",
        description="受送达人名称或姓名；不填即为当事人（向代收人送达时填写代收人）",
    )
    place: ShortText = Field(title="送达地点", description="送达地点")
    method: ServiceMethod = Field(title="送达方式", description="直接、邮寄、电子或留置送达")
    servers: list[Officer] = Field(
        min_length=2, title="送达人", description="不少于2名送达执法人员"
    )
    refused: bool = Field(default=False, title="拒绝签收", description="受送达人是否拒绝签收")
    receipt: Signature | None = Field(
        default=None,
        title="受送达人签收",
        description="已签收的，签收人和签收时间（回证上签名线仍留空由受送达人手签）；"
        "未填写时签收时间留空手写",
    )
    refusal_note: str = Field(
        default="", max_length=1000, title="拒收情况", description="拒收的经过、理由及留置情况"
    )
    witnesses: list[Person] = Field(
        default_factory=list,
        validate_default=True,
        title="见证人",
        description="拒收时在场的见证人",
    )

    @field_validator("witnesses")
    @classmethod
    def _refusal_witnessed(cls, value: list[Person], info: ValidationInfo) -> list[Person]:
        if info.data.get("refused") and (not value or not info.data.get("refusal_note")):
            raise ValueError("拒绝签收的，应记明拒收情况并由见证人签名")
        return value


SPEC = TemplateSpec(
    code="05",
    name="送达回证",
    category="implementation",
    pack=INTERVIEW,
    type_code="送",
    model=ServiceProof,
    act="document_served",
    act_date="receipt.signed_at",
    act_time="receipt.signed_at",
    interview_date=None,
)
