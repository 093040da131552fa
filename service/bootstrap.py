"""First-run set-up: an admin user with a generated password."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session, sessionmaker

from service.auth.models import Role
from service.auth.repository import has_users
from service.auth.service import create_user
from service.db import transaction


def ensure_admin(sessions: sessionmaker[Session]) -> str | None:
    """Create user ``admin`` when no user exists; returns its password (to show once)."""
    with transaction(sessions) as session:
        if has_users(session):
            return None
        password = secrets.token_urlsafe(15)
        create_user(session, "admin", Role.admin, password)
        return password
