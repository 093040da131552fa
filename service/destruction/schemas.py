"""Request and response bodies of holds and destruction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from doc_templates.text_rules import xml_safe
from service.destruction.models import ListStatus
from service.schemas import RequestModel

ArchiveNoText = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(xml_safe)
]


class ListCreate(RequestModel):
    """Propose a destruction list (销毁清册)."""

    model_config = ConfigDict(extra="forbid")

    archive_nos: list[ArchiveNoText] = Field(min_length=1, max_length=1000, title="档号")
    appraisal: str = Field(min_length=2, max_length=4000, title="鉴定意见")
    title: str | None = Field(default=None, max_length=200, title="清册名称")


class Decision(RequestModel):
    """A leader's decision on a list."""

    model_config = ConfigDict(extra="forbid")

    approve: bool = Field(title="是否批准")
    comment: str = Field(min_length=1, max_length=2000, title="审批意见")


class ConfirmationOut(BaseModel):
    """A supervisor's confirmation."""

    name: str
    confirmed_at: datetime


class ListItemOut(BaseModel):
    """An archive on a list."""

    archive_no: str
    case_no: str
    party: str
    destroyed_at: datetime | None


class ListOut(BaseModel):
    """A destruction list and where it stands."""

    id: int
    list_no: str
    title: str
    appraisal: str
    status: ListStatus
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str | None
    executed_by: str | None
    executed_at: datetime | None
    record_sha256: str | None
    supervisors: list[ConfirmationOut]
    items: list[ListItemOut]


class RegisterOut(BaseModel):
    """A destruction register entry (kept forever)."""

    id: int
    archive_no: str
    case_no: str
    party_name: str
    retention_class: str
    closed_on: date
    expires_on: date
    sha256: str
    list_no: str
    proposed_by: str
    proposed_at: datetime
    approved_by: str
    approved_at: datetime
    supervisors: list[dict[str, Any]]
    executed_at: datetime
    store_answer: list[dict[str, Any]]
    versions_deleted: int
