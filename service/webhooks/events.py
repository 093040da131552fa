"""The events a system can subscribe to."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "step.yellow": "黄牌: a step of a case has at most the configured working days (or hours) left",
    "step.red": "红牌: a step of a case is overdue",
    "review.failed": "案卷评查: a sampled case failed its case-file review",
}
