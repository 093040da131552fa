"""09 整改跟踪台账: the rectification tracking ledger."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from doc_templates.fields.common import ChineseEnum, FieldModel, ShortText, Text, reference
from doc_templates.packs import INTERVIEW
from doc_templates.spec import TemplateSpec


class Progress(ChineseEnum):
    """State of one rectification item at a follow-up."""

    __cn_title__ = "整改状态"
    __cn_desc__ = "整改事项的进展状态"

    NOT_STARTED = "未开始"
    IN_PROGRESS = "整改中"
    DONE = "已完成"
    OVERDUE = "已逾期"


class LedgerRow(FieldModel):
    """One follow-up entry of the ledger."""

    model_config = ConfigDict(
        title="跟踪记录", json_schema_extra={"description": "一次跟踪检查的情况"}
    )

    checked_on: date = Field(title="跟踪日期", description="跟踪检查的日期")
    item: Text = Field(title="整改事项", description="跟踪的整改事项")
    deadline: date = Field(title="整改期限", description="该事项的整改期限")
    measures: Text = Field(title="整改措施及进展", description="当事人采取的措施和进展情况")
    progress: Progress = Field(title="整改状态", description="未开始、整改中、已完成或已逾期")
    tracker: ShortText = Field(title="跟踪人", description="跟踪检查人员")
    remark: str = Field(default="", max_length=500, title="备注", description="其他需要说明的情况")


class TrackingLedger(FieldModel):
    """Fields of 整改跟踪台账."""

    model_config = ConfigDict(
        title="整改跟踪台账", json_schema_extra={"description": "整改事项的逐次跟踪记录"}
    )

    notice_id: int = reference("整改通知书", "本案的整改通知书（文书ID）", "08")
    notice_no: ShortText | None = Field(
        default=None, title="整改通知书文号", description="由系统按整改通知书填写"
    )
    deadline: date = Field(title="整改期限", description="整改通知书确定的整改期限")
    responsible: ShortText = Field(title="台账责任人", description="负责跟踪的执法人员")
    rows: list[LedgerRow] = Field(min_length=1, title="跟踪记录", description="逐次跟踪检查情况")


SPEC = TemplateSpec(
    code="09",
    name="整改跟踪台账",
    category="result",
    pack=INTERVIEW,
    type_code="账",
    model=TrackingLedger,
    act=None,
    act_date=None,
    act_time=None,
    interview_date=None,
)
