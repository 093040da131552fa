"""Queries for materials."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.materials.models import Material


def get(session: Session, material_id: int) -> Material | None:
    """The material with ``material_id``."""
    return session.get(Material, material_id)


def list_for_case(session: Session, case_id: int) -> list[Material]:
    """A case's materials in upload order."""
    stmt = select(Material).where(Material.case_id == case_id).order_by(Material.id)
    return list(session.scalars(stmt))


def get_by_idempotency_key(session: Session, client_id: str, key: str) -> Material | None:
    """The material a client uploaded under an ``Idempotency-Key``."""
    return session.scalar(
        select(Material).where(Material.client_id == client_id, Material.idempotency_key == key)
    )


def get_many(session: Session, material_ids: list[int]) -> list[Material]:
    """These materials, by id."""
    if not material_ids:
        return []
    stmt = select(Material).where(Material.id.in_(material_ids)).order_by(Material.id)
    return list(session.scalars(stmt))
