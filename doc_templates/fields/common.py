"""Shared sub-models and enums used by several template field models."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from doc_templates.text_rules import bound_fields, xml_safe

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(xml_safe),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(xml_safe),
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+\-() ]{5,30}$")]


class FieldModel(BaseModel):
    """Base of every field model: unknown keys are an error, never silently dropped; every
    list and text is bounded (``maxItems`` / ``maxLength`` in the schema) and every text holds
    only characters a DOCX can (see ``doc_templates.text_rules``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        bound_fields(cls)


REFERENCE = "x-reference"


def reference(title: str, description: str, template: str | None) -> Any:
    """A field naming another document of the case by its id (``template``: which kind it
    must be, ``None``: any). The service checks it belongs to the case and fills the fields
    the template prints (title, 文号) from it."""
    return Field(
        ge=1,
        le=2**31 - 1,
        title=title,
        description=description,
        json_schema_extra={REFERENCE: template or "*"},
    )


def is_reference(info: FieldInfo) -> bool:
    """True for a field made by ``reference``."""
    extra = info.json_schema_extra
    return isinstance(extra, dict) and REFERENCE in extra


class ChineseEnum(StrEnum):
    """A StrEnum whose JSON Schema title/description come from ``__cn_title__``/``__cn_desc__``."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        schema["title"] = getattr(cls, "__cn_title__", cls.__name__)
        schema["description"] = getattr(cls, "__cn_desc__", "")
        return schema


class ClueSource(ChineseEnum):
    """Where a clue came from (线索来源)."""

    __cn_title__ = "线索来源"
    __cn_desc__ = "线索的来源渠道"

    DAILY_INSPECTION = "日常巡查"
    COMPLAINT = "投诉举报"
    ASSIGNED = "上级交办"
    TRANSFERRED = "部门移送"
    SELF_REPORT = "自查发现"


class ApplicableSituation(ChineseEnum):
    """Situations in which an interview applies (适用情形, work plan 1.4.2)."""

    __cn_title__ = "适用情形"
    __cn_desc__ = "行政约谈适用情形"

    MINOR_FIRST_OFFENCE = "初次违法且情节轻微，及时改正可不予行政处罚"
    HIDDEN_RISK = "存在安全隐患或违法风险，需提前预警、督促整改"
    PUBLIC_CONCERN = "群众投诉较多、社会关注度高，需通过约谈回应社会关切"
    DUTY_UNFULFILLED = "未履行法定义务或主体责任，经书面催告仍不改正"
    OTHER = "法律法规规定的其他适合约谈的情形"


class EvidenceKind(ChineseEnum):
    """Statutory kinds of evidence (证据种类)."""

    __cn_title__ = "证据种类"
    __cn_desc__ = "法定证据种类"

    DOCUMENTARY = "书证"
    PHYSICAL = "物证"
    AUDIOVISUAL = "视听资料"
    ELECTRONIC = "电子数据"
    WITNESS = "证人证言"
    PARTY_STATEMENT = "当事人陈述"
    EXPERT_OPINION = "鉴定意见"
    ON_SITE_RECORD = "现场笔录"
    INSPECTION_RECORD = "勘验笔录"


class ServiceMethod(ChineseEnum):
    """How a document is served (送达方式)."""

    __cn_title__ = "送达方式"
    __cn_desc__ = "文书送达方式"

    IN_PERSON = "直接送达"
    POST = "邮寄送达"
    ELECTRONIC = "电子送达"
    LEFT_AT_PREMISES = "留置送达"


class Officer(FieldModel):
    """An enforcement officer with a certificate number."""

    model_config = ConfigDict(
        title="执法人员", json_schema_extra={"description": "执法人员姓名及行政执法证号"}
    )

    name: ShortText = Field(title="姓名", description="执法人员姓名")
    cert_no: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z\-]{4,32}$")
    ] = Field(title="执法证号", description="行政执法证件编号")


class Person(FieldModel):
    """A person named on a document (witness, attendee, recorder)."""

    model_config = ConfigDict(title="人员", json_schema_extra={"description": "姓名及身份或职务"})

    name: ShortText = Field(title="姓名", description="姓名")
    role: ShortText = Field(
        title="身份或职务", description="如法定代表人、委托代理人、社区工作人员"
    )


class EvidenceItem(FieldModel):
    """One item of an evidence list."""

    model_config = ConfigDict(
        title="证据", json_schema_extra={"description": "证据名称、种类和页数"}
    )

    name: ShortText = Field(title="证据名称", description="证据材料名称")
    kind: EvidenceKind = Field(title="证据种类", description="法定证据种类")
    pages: int = Field(ge=1, le=9999, title="页数", description="证据材料页数")


class RectificationItem(FieldModel):
    """One rectification requirement."""

    model_config = ConfigDict(
        title="整改事项", json_schema_extra={"description": "整改事项、依据、期限和验收标准"}
    )

    item: Text = Field(title="整改事项", description="需要整改的问题")
    basis: Text = Field(title="整改依据", description="整改所依据的法律、法规、规章条款")
    deadline: date = Field(title="整改期限", description="该事项须完成整改的日期")
    standard: Text = Field(title="验收标准", description="验收时判断整改到位的标准")


class Opinion(FieldModel):
    """An opinion on an approval form; whatever is not given is left blank to write by hand."""

    model_config = ConfigDict(
        title="签署意见",
        json_schema_extra={"description": "意见、签名人和日期；未填写的部分留空由签署人手写"},
    )

    opinion: Text | None = Field(
        default=None, title="意见", description="审核或审批意见；不填则留出手写意见的空白"
    )
    signer: ShortText | None = Field(
        default=None, title="签名人", description="签署意见的人员姓名，印在签名线旁"
    )
    signed_on: date | None = Field(
        default=None, title="签署日期", description="签署意见的日期；不填则留空手写"
    )


class Signature(FieldModel):
    """A signature with the date it was given."""

    model_config = ConfigDict(title="签名", json_schema_extra={"description": "签名人和签名时间"})

    name: ShortText = Field(title="签名", description="签名人姓名")
    signed_at: datetime = Field(title="签名时间", description="签名的日期和时间")
