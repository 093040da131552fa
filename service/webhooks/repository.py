"""Queries on subscriptions and deliveries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.webhooks.models import WebhookDelivery, WebhookSubscription


def subscriptions(session: Session) -> list[WebhookSubscription]:
    """Every subscription, oldest first."""
    return list(session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def by_name(session: Session, name: str) -> WebhookSubscription | None:
    """The subscription called ``name``."""
    stmt = select(WebhookSubscription).where(WebhookSubscription.name == name)
    return session.scalars(stmt).one_or_none()


def subscription(session: Session, subscription_id: int) -> WebhookSubscription | None:
    """One subscription."""
    return session.get(WebhookSubscription, subscription_id)


def active_for(session: Session, event: str) -> list[WebhookSubscription]:
    """Active subscriptions that asked for ``event`` (filtered here: the event list is JSON)."""
    stmt = select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    return [s for s in session.scalars(stmt.order_by(WebhookSubscription.id)) if event in s.events]


def delivery(
    session: Session, delivery_id: int, *, for_update: bool = False
) -> WebhookDelivery | None:
    """One delivery (locked until commit with ``for_update``)."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).one_or_none()


def deliveries(
    session: Session, subscription_id: int, *, before: int | None, limit: int
) -> list[WebhookDelivery]:
    """A subscription's deliveries, newest first, ``limit`` of them before id ``before``."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if before is not None:
        stmt = stmt.where(WebhookDelivery.id < before)
    return list(session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit)))
