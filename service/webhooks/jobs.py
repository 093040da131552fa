"""Webhook deliveries as jobs: at-least-once, retried with back-off."""

from __future__ import annotations

from typing import Any

from service.jobs import JobContext, Retry, job
from service.webhooks.service import DELIVER_JOB, deliver

# 5 s, 10 s, 20 s … capped at an hour: about two and a half hours before a delivery fails.
DELIVERY_RETRY = Retry(max_attempts=12, first_wait=5, max_wait=3600)


@job(DELIVER_JOB, retry=DELIVERY_RETRY)
def deliver_job(ctx: JobContext, *, delivery_id: int) -> dict[str, Any]:
    """Send one delivery (its receiver should dedupe on ``X-Anjuan-Delivery``)."""
    return deliver(ctx, delivery_id)
