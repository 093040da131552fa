"""Case-level facts handed to every template: the renderer's input contract.

The service builds a :class:`RenderContext` from the case and the number it allocated; the
document-specific fields come from the template's own field model (``data``). Case-level facts
(案号, party, agency) are never retyped per document.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

PartyKind = Literal["enterprise", "individual_business", "social_org", "other"]

PARTY_KIND_LABELS: dict[str, str] = {
    "enterprise": "企业",
    "individual_business": "个体工商户",
    "social_org": "社会组织",
    "other": "其他",
}


class PartyFacts(BaseModel):
    """The party (当事人) as recorded on the case."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: PartyKind
    id_code: str | None = None  # 统一社会信用代码 / 身份证号
    representative: str | None = None  # 法定代表人 / 负责人
    address: str | None = None
    phone: str | None = None

    @property
    def kind_label(self) -> str:
        """Chinese name of the party kind."""
        return PARTY_KIND_LABELS[self.kind]


class RenderContext(BaseModel):
    """Everything a template may show that does not come from the document's own data."""

    model_config = ConfigDict(frozen=True)

    agency_name: str  # e.g. 某某市某某区综合行政执法局
    case_no: str  # 案号, e.g. 中村约〔2026〕7号
    doc_no: str  # 文号; "" on a specimen
    issued_on: date
    party: PartyFacts
    cause: str  # 约谈事由 as recorded on the case
    verify_url: str  # what the QR code encodes
    index_line: str  # short human-readable index printed under the QR code
    specimen: bool = False  # True: marked 样本, no number, no record


Category = Literal["initiation", "implementation", "result"]

CATEGORY_LABELS: dict[str, str] = {
    "initiation": "启动类",
    "implementation": "实施类",
    "result": "结果类",
}
