"""The monthly review draw as a periodic job: on the configured day, the previous month's
sample (the same draw the legal section would get from ``POST /reviews/draws``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from service import clock
from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.db import transaction
from service.jobs import JobContext, Retry, periodic
from service.reviews.models import DrawKind
from service.reviews.service import draw

JOB_ACTOR = Actor(Principal("system", 0, "review-draw", Role.legal))


def previous_month(day: date) -> str:
    """``YYYY-MM`` of the month before ``day``'s."""
    last = day.replace(day=1) - timedelta(days=1)
    return f"{last:%Y-%m}"


@periodic(
    "reviews.monthly_draw",
    cron=lambda settings: settings.review_cron,
    retry=Retry(max_attempts=3, first_wait=60),
)
def monthly_draw(ctx: JobContext, timestamp: int) -> dict[str, Any]:
    """Draw the previous month's review sample (idempotent: a draw already made is kept)."""
    when = datetime.fromtimestamp(timestamp, UTC).astimezone(clock.LOCAL_TZ).date()
    month = previous_month(when)
    with transaction(ctx.runtime.sessions) as session:
        made, created = draw(session, ctx.runtime.settings, JOB_ACTOR, DrawKind.review, month)
        return {"month": month, "draw_id": made.id, "seed": made.seed, "created": created}
