"""Archiving as a job, and the nightly fixity audit of the archive."""

from __future__ import annotations

import logging
import math
from typing import Any

from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.orm import Session, sessionmaker

from archive.integrity import IntegrityReport
from service import clock
from service.archives import repository
from service.archives.checks import verify_archive
from service.archives.models import Archive, ArchiveCheck, CheckKind
from service.archives.service import archive_case
from service.audit.service import Actor
from service.db import reading, transaction
from service.jobs import JobContext, Retry, defer, job, periodic
from service.jobs import repository as jobs_repository

log = logging.getLogger("anjuan.archives")


@job("archives.archive_case", retry=Retry(max_attempts=5, first_wait=5))
def archive_case_job(
    ctx: JobContext, *, case_id: int, actor: dict[str, Any], reason: str | None = None
) -> dict[str, Any]:
    """Build, store and record the case's dossier. Idempotent: an unchanged case is not
    archived again, and the job holds the 档号 claim under its own id, so a run after its
    worker died takes the claim back instead of waiting out the lease."""
    rt = ctx.runtime
    archive, created = archive_case(
        rt.sessions,
        rt.settings,
        rt.documents,
        rt.archive,
        rt.converter,
        Actor.from_args(actor),
        case_id,
        reason,
        claimant=f"job:{ctx.job_id}",
    )
    return {
        "archive_no": archive.archive_no,
        "created": created,
        "sha256": archive.sha256,
        "version_id": archive.version_id,
        "versions": archive.versions,
    }


def queue_archiving(session: Session, actor: Actor, case_id: int, reason: str | None) -> int:
    """Defer the case's archiving job (one waiting job per case: a second request joins it)."""
    lock = f"archive:{case_id}"
    try:
        with session.begin_nested():
            return defer(
                session,
                "archives.archive_case",
                lock=lock,
                queueing_lock=lock,
                case_id=case_id,
                actor=actor.as_args(),
                reason=reason,
            )
    except AlreadyEnqueued:
        waiting = jobs_repository.waiting_with_queueing_lock(session, lock)
        if waiting is None:  # it started meanwhile: queue another, it finds the case archived
            return defer(
                session,
                "archives.archive_case",
                lock=lock,
                case_id=case_id,
                actor=actor.as_args(),
                reason=reason,
            )
        return waiting


def record_check(
    sessions: sessionmaker[Session], archive: Archive, report: IntegrityReport, kind: CheckKind
) -> ArchiveCheck:
    """Add a re-check and its findings to the archive's 四性 history."""
    check = ArchiveCheck(
        archive_id=archive.id,
        kind=kind,
        checked_at=report.checked_at,
        version_id=archive.version_id,
        ok=report.ok,
        findings=[
            {"aspect": f.aspect, "code": f.code, "message": f.message} for f in report.findings
        ],
    )
    with transaction(sessions) as session:
        repository.add_check(session, check)
    return check


@periodic(
    "archives.fixity_audit",
    cron=lambda settings: settings.fixity_cron,
    retry=Retry(max_attempts=3, first_wait=60),
)
def fixity_audit(ctx: JobContext, timestamp: int) -> dict[str, Any]:
    """Re-read and re-hash a share (``ANJUAN_FIXITY_SHARE``) of the archived dossiers, those
    checked longest ago first, so that every dossier is re-read within 1/share nights; each
    check and its findings go into the archive's 四性 history."""
    runtime = ctx.runtime
    with reading(runtime.sessions) as session:
        total = repository.count_archived(session)
        count = min(total, math.ceil(total * runtime.settings.fixity_share))
        archives = repository.least_recently_checked(session, count)
    failed: list[str] = []
    for archive in archives:
        report = verify_archive(runtime.settings, runtime.archive, archive)
        record_check(runtime.sessions, archive, report, CheckKind.fixity_audit)
        if not report.ok:
            failed.append(archive.archive_no)
            log.error(
                "fixity audit: %s has %d finding(s): %s",
                archive.archive_no,
                len(report.findings),
                "; ".join(f"{f.code}: {f.message}" for f in report.findings),
            )
    return {
        "period": timestamp,
        "checked": len(archives),
        "archived": total,
        "with_findings": failed,
        "at": clock.now().isoformat(),
    }
