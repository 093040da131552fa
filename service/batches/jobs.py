"""Batch items as jobs: one job per item."""

from __future__ import annotations

from typing import Any

from service.batches.service import issue_item
from service.jobs import JobContext, Retry, job


@job("batches.issue_item", retry=Retry(max_attempts=4, first_wait=2))
def issue_batch_item(ctx: JobContext, *, item_id: int) -> dict[str, Any]:
    """Issue one item of a batch (see ``service.batches.service.issue_item``)."""
    return issue_item(ctx, item_id)
