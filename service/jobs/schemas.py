"""Response bodies of the job API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class JobState(StrEnum):
    """Where a job stands."""

    queued = "queued"  # waiting for a worker (first attempt)
    retrying = "retrying"  # an attempt failed; waiting for the next one
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # for good: no attempt follows
    cancelled = "cancelled"


class JobError(BaseModel):
    """An attempt's error, as the error contract writes it."""

    error: str
    detail: Any = None


class JobOut(BaseModel):
    """A background job: its state, attempts, last error and result."""

    id: int
    task: str
    status: JobState
    attempts: int = Field(description="attempts that have ended (failed or succeeded)")
    max_attempts: int | None
    last_error: JobError | None = Field(description="why the latest failed attempt failed")
    result: dict[str, Any] | None = Field(description="what the job produced, once succeeded")
    created_at: datetime | None
    started_at: datetime | None = Field(description="start of the latest attempt")
    finished_at: datetime | None
    next_attempt_at: datetime | None = Field(description="when a waiting job may run")
