"""The template registry: seed the built-in versions, take uploads, activate, pin documents.

A version is the SHA-256 of a DOCX and its field model's schema (``doc_templates.catalogue.
version_of``). Its DOCX lives in the documents bucket at ``templates/{code}/{version}.docx``
and is never deleted, nor is its row: a retired version is still known, so the documents it
rendered stay authentic in the 四性 check. Uploading lints the DOCX and renders a specimen
with the template's sample data; the version stays a draft until the legal section activates
it, which a lint finding refuses. Activating an older version is a rollback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.storage import ObjectStore
from doc_templates import Revision, Template, all_templates
from doc_templates.catalogue import version_of
from doc_templates.lint import Finding, lint_docx
from doc_templates.samples import sample_data
from service import clock
from service.audit.service import Actor, record
from service.auth.models import Role
from service.auth.security import Principal
from service.config import Settings
from service.db import reading, transaction
from service.documents import repository as documents
from service.errors import Conflict, FieldError, NotFound
from service.jobs import defer
from service.locks import lock_key
from service.specimens.service import render_specimen_data
from service.templates import repository
from service.templates.models import TemplateVersion, VersionSource, VersionStatus

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BUILTIN_BY = "anjuan（内置）"
SEED_ACTOR = Actor(Principal("system", 0, "template-seed", Role.admin))
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MIN_PREFIX = 8


class UnknownVersion(NotFound):
    """No version of this template has this hash."""

    code = "unknown_template_version"


class VersionHasFindings(Conflict):
    """A version with lint findings (or a specimen that failed) cannot be activated."""

    code = "template_has_findings"


def docx_key(code: str, version: str) -> str:
    """Where a version's DOCX is stored."""
    return f"templates/{code}/{version}.docx"


def specimen_key(code: str, version: str, fmt: str) -> str:
    """Where a version's specimen (``docx`` or ``pdf``) is stored."""
    return f"templates/{code}/{version}.specimen.{fmt}"


def revision_of(store: ObjectStore, row: TemplateVersion) -> Revision:
    """How the renderer reads this version (only when it has not compiled it yet)."""
    return Revision(row.version, lambda: store.get(row.docx_key, row.docx_storage_version))


def findings_json(findings: list[Finding]) -> list[dict[str, str]]:
    """Lint findings as stored and shown."""
    return [{"kind": f.kind, "part": f.part, "detail": f.detail} for f in findings]


# -- seeding the built-in versions ----------------------------------------------------------


def seed_builtins(session: Session, settings: Settings, store: ObjectStore) -> None:
    """Make sure every built-in template's packaged version is in the registry (at start)."""
    for template in all_templates():
        seed(session, settings, store, template)


def seed(
    session: Session, settings: Settings, store: ObjectStore, template: Template
) -> TemplateVersion:
    """The registry row of ``template``'s packaged DOCX, added when missing.

    A new built-in version becomes active when the template has no active version or the
    active one is itself built-in (the office has not uploaded its own); otherwise it stays a
    draft for the legal section to weigh against the office's version.
    """
    lock_key(session, "template-version", template.code)
    row = repository.get(session, template.code, template.version)
    if row is not None:
        return row
    docx = template.docx_path.read_bytes()
    row = _add(
        session,
        settings,
        store,
        SEED_ACTOR,
        template,
        docx,
        source=VersionSource.builtin,
        filename=f"{template.code}.docx",
        note="随服务发布的内置版本",
        uploaded_by=BUILTIN_BY,
    )
    current = repository.active(session, template.code, for_update=True)
    if not row.lint and (current is None or current.source == VersionSource.builtin):
        _make_active(session, SEED_ACTOR, row, current)
    # documents rendered by this very version before the registry existed point at it now
    documents.link_template_version(session, template.code, row.version, row.id)
    return row


def history(
    sessions: sessionmaker[Session], settings: Settings, store: ObjectStore, template: Template
) -> list[TemplateVersion]:
    """Every version of ``template``, newest first, as a read: the packaged version is seeded
    (in a transaction of its own) only when the registry lacks it, which start-up prevents."""
    with reading(sessions) as session:
        rows = repository.versions(session, template.code)
    if any(row.version == template.version for row in rows):
        return rows
    with transaction(sessions) as session:
        seed(session, settings, store, template)
    with reading(sessions) as session:
        return repository.versions(session, template.code)


def pinned_version(
    session: Session, settings: Settings, store: ObjectStore, template: Template
) -> tuple[TemplateVersion, Revision]:
    """The active version that renders a document of ``template`` now (seeded if the
    registry has none yet), and how to read it."""
    row = repository.active(session, template.code)
    if row is None:
        seed(session, settings, store, template)
        row = repository.active(session, template.code)
    if row is None:  # the packaged DOCX has lint findings: nothing may render
        raise VersionHasFindings(
            {
                "message": f"template {template.code} has no active version",
                "template": template.code,
            }
        )
    return row, revision_of(store, row)


def current_revision(session: Session, store: ObjectStore, template: Template) -> Revision | None:
    """The active version's revision, or None (the packaged DOCX) before any seed: for
    specimens, which read and never write."""
    row = repository.active(session, template.code)
    return revision_of(store, row) if row is not None else None


# -- uploads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A DOCX as received."""

    docx: bytes
    filename: str
    note: str = ""


def upload(
    session: Session,
    settings: Settings,
    store: ObjectStore,
    actor: Actor,
    template: Template,
    received: Upload,
) -> tuple[TemplateVersion, bool]:
    """Add an uploaded DOCX as a draft version; ``(row, created)``. The same file (and field
    model) again is the same version: the existing row comes back."""
    if not received.docx:
        raise FieldError([_file_problem("the file is empty", "empty")])
    if len(received.docx) > MAX_TEMPLATE_BYTES:
        raise FieldError([_file_problem("a template DOCX is at most 10 MiB", "too_large")])
    findings = lint_docx(received.docx, template.model)
    if any(f.kind == "docx" for f in findings):
        raise FieldError([_file_problem(findings[0].detail, "not_docx")])
    seed(session, settings, store, template)  # the history starts with the built-in version
    version = version_of(received.docx, template.model)
    lock_key(session, "template-version", template.code)
    existing = repository.get(session, template.code, version)
    if existing is not None:
        return existing, False
    row = _add(
        session,
        settings,
        store,
        actor,
        template,
        received.docx,
        source=VersionSource.upload,
        filename=PurePath(received.filename or f"{template.code}.docx").name[:200],
        note=received.note,
        uploaded_by=actor.principal.label,
        findings=findings,
    )
    if row.specimen_docx_key is not None:
        defer(session, "templates.specimen_pdf", version_id=row.id)
    return row, True


def _file_problem(message: str, kind: str) -> dict[str, Any]:
    return {"field": "file", "message": message, "type": kind, "label": "模板文件"}


def _add(
    session: Session,
    settings: Settings,
    store: ObjectStore,
    actor: Actor,
    template: Template,
    docx: bytes,
    *,
    source: VersionSource,
    filename: str,
    note: str,
    uploaded_by: str,
    findings: list[Finding] | None = None,
) -> TemplateVersion:
    """Store the DOCX and its specimen, lint it, and add the draft row (audited)."""
    version = version_of(docx, template.model)
    found = findings if findings is not None else lint_docx(docx, template.model)
    key = docx_key(template.code, version)
    stored = store.put(
        key, docx, content_type=DOCX_MIME, metadata={"template": template.code}
    )  # content-addressed: a put repeated by a rolled-back attempt holds the same bytes
    lint = findings_json(found)
    specimen_docx: str | None = None
    specimen_error: str | None = None
    try:
        data = template.model.model_validate(sample_data(template.code))
        specimen = render_specimen_data(
            settings, template, data, None, Revision(version, lambda: docx)
        )
    except Exception as exc:
        lint.append(
            {
                "kind": "render",
                "part": "word/document.xml",
                "detail": f"{type(exc).__name__}: {exc}",
            }
        )
    else:
        specimen_docx = specimen_key(template.code, version, "docx")
        store.put(specimen_docx, specimen, content_type=DOCX_MIME)
    row = TemplateVersion(
        code=template.code,
        version=version,
        status=VersionStatus.draft,
        source=source,
        filename=filename,
        note=note,
        docx_key=key,
        docx_storage_version=stored.version_id,
        docx_sha256=hashlib.sha256(docx).hexdigest(),
        size=len(docx),
        lint=lint,
        specimen_docx_key=specimen_docx,
        specimen_error=specimen_error,
        uploaded_by=uploaded_by,
        uploaded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "template.upload",
        "template",
        f"{template.code}@{version[:12]}",
        {
            "code": template.code,
            "version": version,
            "source": source.value,
            "filename": filename,
            "sha256": row.docx_sha256,
            "findings": len(lint),
        },
    )
    return row


# -- activation ----------------------------------------------------------------------------------


def find_version(session: Session, code: str, ref: str) -> TemplateVersion:
    """The version of ``code`` named by its hash or a unique prefix of 8+ characters."""
    row = repository.get(session, code, ref)
    if row is not None:
        return row
    if len(ref) >= MIN_PREFIX:
        rows = repository.by_prefix(session, code, ref)
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise FieldError(
                [
                    {
                        "field": "version",
                        "message": f"{ref!r} names more than one version of {code}",
                        "type": "ambiguous",
                        "label": "模板版本",
                    }
                ]
            )
    raise UnknownVersion(f"template {code} has no version {ref!r}")


def activate(session: Session, actor: Actor, code: str, ref: str) -> TemplateVersion:
    """Make a version the one documents of ``code`` are rendered with (audited). A version
    with findings is refused with every finding; an older version is a rollback."""
    lock_key(session, "template-version", code)
    row = find_version(session, code, ref)
    if row.status == VersionStatus.active:
        return row
    problems = list(row.lint)
    if row.specimen_error:
        problems.append({"kind": "specimen", "part": "(pdf)", "detail": row.specimen_error})
    if problems:
        raise VersionHasFindings(
            {
                "message": f"version {row.version[:12]} of template {code} has "
                f"{len(problems)} finding(s); fix the DOCX and upload it again",
                "findings": problems,
            }
        )
    current = repository.active(session, code, for_update=True)
    _make_active(session, actor, row, current)
    return row


def _make_active(
    session: Session, actor: Actor, row: TemplateVersion, current: TemplateVersion | None
) -> None:
    now = clock.now()
    if current is not None:
        current.status, current.retired_at = VersionStatus.retired, now
        session.flush()  # one active version per template (a partial unique index)
    row.status, row.retired_at = VersionStatus.active, None
    row.activated_by, row.activated_at = actor.principal.label, now
    session.flush()
    record(
        session,
        actor,
        "template.activate",
        "template",
        f"{row.code}@{row.version[:12]}",
        {
            "code": row.code,
            "version": row.version,
            "previous": current.version if current is not None else None,
            "rollback": bool(row.uploaded_at and current and row.uploaded_at < current.uploaded_at),
        },
    )


def known_versions(session: Session) -> dict[str, set[str]]:
    """Every version the registry knows (active, draft or retired), per template code."""
    return repository.known(session)
