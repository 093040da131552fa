"""The reminder sweep as a periodic job (every few minutes, and when a worker starts)."""

from __future__ import annotations

from typing import Any

from service.jobs import JobContext, Retry, periodic
from service.process.reminders import sweep


@periodic(
    "process.reminder_sweep",
    cron=lambda settings: settings.reminder_cron,
    retry=Retry(max_attempts=3, first_wait=30),
    on_start=True,
)
def reminder_sweep(ctx: JobContext, timestamp: int) -> dict[str, Any]:
    """Report the steps newly yellow or red (see ``service.process.reminders``)."""
    result = sweep(ctx.runtime.sessions, ctx.runtime.settings)
    return {"period": timestamp, "warned": result["warned"], "reported": len(result["reported"])}
