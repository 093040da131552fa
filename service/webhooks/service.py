"""Subscriptions (the administrator's), events published in the transaction of the change
they report, and the delivery of each to each subscriber by a job."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session

from service import clock
from service.audit.service import Actor, record
from service.config import Settings
from service.db import transaction
from service.errors import Conflict, FieldError, NotFound
from service.jobs import JobContext, defer
from service.runtime import Runtime
from service.webhooks import repository
from service.webhooks.events import EVENTS
from service.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from service.webhooks.signing import SIGNATURE_HEADER, new_salt, secret_of, signature

log = logging.getLogger("anjuan.webhooks")
DELIVER_JOB = "webhooks.deliver"
USER_AGENT = "anjuan-webhooks/1"


class DeliveryFailed(Exception):
    """The receiver did not take the delivery (not reached, or not a 2xx): try again later."""


def _check_events(events: list[str]) -> None:
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise FieldError(
            [
                {
                    "field": "events",
                    "message": f"unknown event(s) {', '.join(unknown)}; known: "
                    + ", ".join(EVENTS),
                    "type": "unknown_event",
                    "label": "订阅事件",
                }
            ]
        )


def subscribe(
    session: Session, settings: Settings, actor: Actor, name: str, url: str, events: list[str]
) -> tuple[WebhookSubscription, str]:
    """Add a subscription; returns it with its signing secret (shown once)."""
    _check_events(events)
    if repository.by_name(session, name) is not None:
        raise Conflict(f"a subscription called {name!r} exists")
    now = clock.now()
    sub = WebhookSubscription(
        name=name,
        url=url,
        events=sorted(set(events)),
        secret_salt=new_salt(),
        active=True,
        created_by=actor.principal.label,
        created_at=now,
        updated_at=now,
    )
    session.add(sub)
    session.flush()
    record(session, actor, "webhook.subscribe", "webhook", name, {"url": url, "events": sub.events})
    return sub, secret_of(settings.secret, sub.secret_salt)


def get_subscription(session: Session, name: str) -> WebhookSubscription:
    """The subscription called ``name``, or 404."""
    sub = repository.by_name(session, name)
    if sub is None:
        raise NotFound(f"no subscription called {name!r}")
    return sub


def set_active(session: Session, actor: Actor, name: str, active: bool) -> WebhookSubscription:
    """Pause or resume a subscription (a paused one gets no new deliveries)."""
    sub = get_subscription(session, name)
    sub.active, sub.updated_at = active, clock.now()
    record(session, actor, "webhook.enable" if active else "webhook.disable", "webhook", name, {})
    return sub


def rotate_secret(
    session: Session, settings: Settings, actor: Actor, name: str
) -> tuple[WebhookSubscription, str]:
    """Give a subscription a new signing secret (the old one stops verifying at once)."""
    sub = get_subscription(session, name)
    sub.secret_salt, sub.updated_at = new_salt(), clock.now()
    record(session, actor, "webhook.rotate", "webhook", name, {})
    return sub, secret_of(settings.secret, sub.secret_salt)


def publish(
    session: Session, event: str, data: dict[str, Any], occurred_at: datetime | None = None
) -> list[int]:
    """Send ``event`` to every active subscriber: one delivery row and one job each, written
    in the caller's transaction, so an event goes out exactly when its change is committed."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    at = (occurred_at or clock.now()).isoformat()
    ids = []
    for sub in repository.active_for(session, event):
        event_id = str(uuid.uuid4())
        delivery = WebhookDelivery(
            subscription_id=sub.id,
            event=event,
            event_id=event_id,
            payload={"id": event_id, "event": event, "occurred_at": at, "data": data},
            status=DeliveryStatus.pending,
            attempts=0,
            created_at=clock.now(),
        )
        session.add(delivery)
        session.flush()
        delivery.job_id = defer(session, DELIVER_JOB, delivery_id=delivery.id)
        ids.append(delivery.id)
    return ids


def body_of(delivery: WebhookDelivery) -> bytes:
    """The bytes sent: the payload as canonical JSON (every attempt sends the same)."""
    return json.dumps(
        delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def deliver(ctx: JobContext, delivery_id: int) -> dict[str, Any]:
    """One attempt at a delivery: POST the signed body; a 2xx delivers it, anything else
    raises ``DeliveryFailed`` for the job engine to retry (the last failure marks it failed).
    Delivered already (a job run twice): nothing is sent again."""
    runtime: Runtime = ctx.runtime
    settings = runtime.settings
    with transaction(runtime.sessions) as session:
        delivery = repository.delivery(session, delivery_id)
        if delivery is None:
            return {"delivery_id": delivery_id, "skipped": "gone"}
        if delivery.status == DeliveryStatus.delivered:
            return {"delivery_id": delivery_id, "skipped": "delivered"}
        sub = repository.subscription(session, delivery.subscription_id)
        assert sub is not None
        url, secret = sub.url, secret_of(settings.secret, sub.secret_salt)
        event, event_id, body = delivery.event, delivery.event_id, body_of(delivery)
    timestamp = int(clock.now().timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Anjuan-Event": event,
        "X-Anjuan-Delivery": event_id,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    code: int | None = None
    error: str | None = None
    try:
        with httpx.Client(timeout=settings.webhook_timeout_seconds) as client:
            response = client.post(url, content=body, headers=headers)
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}: {response.text[:200]}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    now = clock.now()
    with transaction(runtime.sessions) as session:
        delivery = repository.delivery(session, delivery_id, for_update=True)
        assert delivery is not None
        delivery.attempts = ctx.attempt
        delivery.last_attempt_at, delivery.last_status_code = now, code
        delivery.last_error = error
        if error is None:
            delivery.status, delivery.delivered_at = DeliveryStatus.delivered, now
        elif ctx.last_attempt:
            delivery.status = DeliveryStatus.failed
    if error is not None:
        log.warning("webhook delivery %s to %s: %s", delivery_id, url, error)
        raise DeliveryFailed(error)
    return {"delivery_id": delivery_id, "status_code": code}
