"""HTTP routes for webhook subscriptions and their deliveries (administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from service.audit.service import Actor
from service.deps import ReadSessionDep, SessionDep, SettingsDep, authorize
from service.openapi import errors
from service.schemas import SafeText
from service.webhooks import repository, service
from service.webhooks.schemas import (
    DeliveryOut,
    SubscriptionCreate,
    SubscriptionOut,
    SubscriptionSecret,
)

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
Manage = Annotated[Actor, Depends(authorize("webhooks.manage"))]
Name = Annotated[SafeText, Path(min_length=1, max_length=64, description="subscription name")]


def _with_secret(sub: object, secret: str) -> SubscriptionSecret:
    return SubscriptionSecret(**SubscriptionOut.model_validate(sub).model_dump(), secret=secret)


@router.get("", response_model=list[SubscriptionOut])
def list_subscriptions(session: ReadSessionDep, _: Manage) -> list[SubscriptionOut]:
    """Every subscription."""
    return [SubscriptionOut.model_validate(s) for s in repository.subscriptions(session)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionSecret,
    responses=errors(409),
)
def create_subscription(
    body: SubscriptionCreate, session: SessionDep, settings: SettingsDep, actor: Manage
) -> SubscriptionSecret:
    """Subscribe a receiver to events; its signing secret is answered once."""
    sub, secret = service.subscribe(session, settings, actor, body.name, str(body.url), body.events)
    return _with_secret(sub, secret)


@router.post("/{name}/disable", response_model=SubscriptionOut)
def disable_subscription(name: Name, session: SessionDep, actor: Manage) -> SubscriptionOut:
    """Pause: no new deliveries (those under way finish)."""
    return SubscriptionOut.model_validate(service.set_active(session, actor, name, False))


@router.post("/{name}/enable", response_model=SubscriptionOut)
def enable_subscription(name: Name, session: SessionDep, actor: Manage) -> SubscriptionOut:
    """Resume a paused subscription."""
    return SubscriptionOut.model_validate(service.set_active(session, actor, name, True))


@router.post("/{name}/rotate", response_model=SubscriptionSecret)
def rotate_secret(
    name: Name, session: SessionDep, settings: SettingsDep, actor: Manage
) -> SubscriptionSecret:
    """A new signing secret, answered once; the old one stops at once."""
    sub, secret = service.rotate_secret(session, settings, actor, name)
    return _with_secret(sub, secret)


@router.get("/{name}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    name: Name,
    session: ReadSessionDep,
    _: Manage,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="ids below this")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryOut]:
    """The subscription's deliveries, newest first: status, attempts, last answer."""
    sub = service.get_subscription(session, name)
    rows = repository.deliveries(session, sub.id, before=before, limit=limit)
    return [DeliveryOut.model_validate(d) for d in rows]
