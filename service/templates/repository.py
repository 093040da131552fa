"""Queries on template versions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.templates.models import TemplateVersion, VersionStatus


def by_id(session: Session, version_id: int, *, for_update: bool = False) -> TemplateVersion | None:
    """The row with this id (locked until commit with ``for_update``)."""
    return session.get(TemplateVersion, version_id, with_for_update=for_update)


def get(session: Session, code: str, version: str) -> TemplateVersion | None:
    """The row of ``version`` of template ``code``."""
    stmt = select(TemplateVersion).where(
        TemplateVersion.code == code, TemplateVersion.version == version
    )
    return session.scalars(stmt).one_or_none()


def by_prefix(session: Session, code: str, prefix: str) -> list[TemplateVersion]:
    """Versions of ``code`` whose hash starts with ``prefix`` (as people copy them)."""
    stmt = select(TemplateVersion).where(
        TemplateVersion.code == code, TemplateVersion.version.startswith(prefix, autoescape=True)
    )
    return list(session.scalars(stmt.limit(2)))


def active(session: Session, code: str, *, for_update: bool = False) -> TemplateVersion | None:
    """The active version of ``code``."""
    stmt = select(TemplateVersion).where(
        TemplateVersion.code == code, TemplateVersion.status == VersionStatus.active
    )
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).one_or_none()


def active_all(session: Session) -> dict[str, TemplateVersion]:
    """The active version of every template that has one."""
    stmt = select(TemplateVersion).where(TemplateVersion.status == VersionStatus.active)
    return {row.code: row for row in session.scalars(stmt)}


def versions(session: Session, code: str) -> list[TemplateVersion]:
    """Every version of ``code``, newest upload first."""
    stmt = (
        select(TemplateVersion)
        .where(TemplateVersion.code == code)
        .order_by(TemplateVersion.uploaded_at.desc(), TemplateVersion.id.desc())
    )
    return list(session.scalars(stmt))


def known(session: Session) -> dict[str, set[str]]:
    """Every version the registry has ever held, per template code (retired ones too)."""
    out: dict[str, set[str]] = {}
    for code, version in session.execute(select(TemplateVersion.code, TemplateVersion.version)):
        out.setdefault(code, set()).add(version)
    return out


def codes_seeded(session: Session) -> set[str]:
    """Template codes with at least one version."""
    return set(session.scalars(select(TemplateVersion.code).distinct()))
