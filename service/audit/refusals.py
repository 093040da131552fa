"""Refused state-changing requests go into the audit trail too (their own transaction, since
the request's own was rolled back)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.routing import APIRoute

from service.audit.service import append
from service.auth.security import Principal
from service.db import transaction
from service.errors import DomainError

log = logging.getLogger(__name__)
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def route_action(route: object) -> str | None:
    """The policy action a route declares through its ``authorize`` dependency."""
    if not isinstance(route, APIRoute):
        return None
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        action = getattr(dep.call, "action", None)
        if action:
            return str(action)
        stack.extend(dep.dependencies)
    return None


def record_refusal(request: Request, exc: DomainError) -> None:
    """Append ``refused`` for a state-changing request that ended in a domain error."""
    if request.method not in STATE_CHANGING or request.url.path == "/api/v1/auth/token":
        return
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        return
    principal: Principal | None = getattr(request.state, "principal", None)
    route = request.scope.get("route")
    try:
        with transaction(runtime.sessions) as session:
            append(
                session,
                actor=principal.label if principal else "anonymous",
                role=str(principal.role) if principal else "-",
                request_id=getattr(request.state, "request_id", None),
                client_addr=request.client.host if request.client else None,
                action=route_action(route) or f"{request.method} {request.url.path}"[:64],
                target_type="request",
                target_id=request.url.path[:64],
                detail={
                    "status": exc.status_code,
                    "error": exc.code,
                    "path_params": {k: str(v) for k, v in request.path_params.items()},
                },
                outcome="refused",
            )
    except Exception:  # an audit failure must not hide the original answer
        log.exception("could not record a refused request")
