"""Request and response bodies of the webhook routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from service.webhooks.events import EVENTS
from service.webhooks.models import DeliveryStatus

EVENTS_DOC = "; ".join(f"`{k}`: {v}" for k, v in EVENTS.items())


class SubscriptionCreate(BaseModel):
    """A new receiver."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$", title="名称")
    url: HttpUrl = Field(title="接收地址", description="http(s) URL the events are POSTed to")
    events: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=len(EVENTS), title="订阅事件", description=EVENTS_DOC
    )


class SubscriptionOut(BaseModel):
    """A subscription (never its secret)."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    url: str
    events: list[str]
    active: bool
    created_by: str
    created_at: datetime
    updated_at: datetime


class SubscriptionSecret(SubscriptionOut):
    """A subscription with its signing secret: answered once, at creation or rotation."""

    secret: str = Field(
        description="HMAC-SHA256 key: X-Anjuan-Signature is t=<unix>,v1=<hex HMAC of "
        '"<t>.<raw body>">; keep it, it is not shown again'
    )


class DeliveryOut(BaseModel):
    """One event sent (or being sent) to a subscription."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event: str
    event_id: str = Field(description="X-Anjuan-Delivery: the same on every attempt")
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    job_id: int | None = Field(description="the job delivering it: GET /api/v1/jobs/{id}")
    payload: dict[str, Any]
    created_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None
