"""First-run set-up: an admin user with a generated password."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from service.audit.service import Actor
from service.auth import admin
from service.auth.models import Role
from service.auth.repository import has_users
from service.auth.security import Principal
from service.db import transaction

BOOTSTRAP_ACTOR = Actor(Principal("system", 0, "bootstrap", Role.admin))


def ensure_admin(sessions: sessionmaker[Session]) -> str | None:
    """Create user ``admin`` when no user exists; returns its password (to show once)."""
    with transaction(sessions) as session:
        if has_users(session):
            return None
        _, password = admin.add_user(session, BOOTSTRAP_ACTOR, "admin", Role.admin, None, "")
        return password
