"""Queries for documents."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.documents.models import Document, DocumentStatus


def get(session: Session, document_id: int) -> Document | None:
    """The document with ``document_id``."""
    return session.get(Document, document_id)


def get_by_idempotency_key(session: Session, client_id: str, key: str) -> Document | None:
    """The document a client issued under an ``Idempotency-Key``."""
    return session.scalar(
        select(Document).where(Document.client_id == client_id, Document.idempotency_key == key)
    )


def get_by_verify_id(session: Session, verify_id: str) -> Document | None:
    """The document a verification token points at."""
    return session.scalar(select(Document).where(Document.verify_id == verify_id))


def list_for_case(session: Session, case_id: int) -> list[Document]:
    """A case's documents in issue order."""
    stmt = select(Document).where(Document.case_id == case_id).order_by(Document.id)
    return list(session.scalars(stmt))


def mark_archived(session: Session, document_ids: list[int]) -> None:
    """The documents are in an archived dossier now (what ``/verify`` reports)."""
    if document_ids:
        session.execute(
            update(Document)
            .where(Document.id.in_(document_ids))
            .values(status=DocumentStatus.archived)
        )


def valid_for_case(session: Session, case_id: int) -> list[Document]:
    """A case's documents that are valid (not yet archived, voided or destroyed)."""
    stmt = select(Document).where(
        Document.case_id == case_id, Document.status == DocumentStatus.valid
    )
    return list(session.scalars(stmt.order_by(Document.id)))


def get_for_update(session: Session, document_id: int) -> Document | None:
    """The document with its row locked until commit."""
    stmt = select(Document).where(Document.id == document_id).with_for_update()
    return session.scalars(stmt).one_or_none()


def replacement_of(session: Session, document_id: int) -> Document | None:
    """The document issued to replace a voided one, if any."""
    return session.scalar(select(Document).where(Document.replaces_id == document_id))


def link_template_version(session: Session, code: str, version: str, version_id: int) -> None:
    """Documents of ``code`` rendered by ``version`` and not yet linked point at its row."""
    session.execute(
        update(Document)
        .where(
            Document.template_code == code,
            Document.template_version == version,
            Document.template_version_id.is_(None),
        )
        .values(template_version_id=version_id)
    )
