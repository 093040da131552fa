"""Request and response bodies of the batch API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.batches.models import BatchFormat, ItemStatus
from service.schemas import RequestModel

MAX_ITEMS = 1000


class BatchItemIn(RequestModel):
    """One document to issue."""

    model_config = ConfigDict(extra="forbid")

    case_id: int = Field(ge=1, le=2**31 - 1, title="案件ID")
    template: str = Field(min_length=1, max_length=8, title="文书模板编号")
    data: dict[str, Any] = Field(title="文书内容")


class BatchCreate(RequestModel):
    """Up to 1,000 documents to issue in the background."""

    model_config = ConfigDict(extra="forbid")

    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_ITEMS, title="文书请求")
    format: BatchFormat = Field(default=BatchFormat.docx, title="格式")


class BatchAccepted(BaseModel):
    """A batch taken on."""

    id: int
    total: int


class ItemDocument(BaseModel):
    """The document an item produced."""

    id: int
    doc_no: str
    sha256: str
    pdf_sha256: str | None


class BatchItemOut(BaseModel):
    """One item's outcome."""

    index: int
    case_id: int
    template: str
    status: ItemStatus
    document: ItemDocument | None = None
    error: dict[str, Any] | None = None
    job_id: int | None = Field(
        default=None, description="the job issuing it (GET /api/v1/jobs/{id})"
    )


class BatchOut(BaseModel):
    """A batch and each item's outcome."""

    id: int
    format: BatchFormat
    total: int
    done: int
    failed: int
    finished: bool
    created_at: datetime
    finished_at: datetime | None
    items: list[BatchItemOut]
