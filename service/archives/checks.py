"""Re-checking archived dossiers against storage (``anjuan archive verify``) and reconciling
records with stored objects (``anjuan archive reconcile``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from archive.dossier import DossierInspection, inspect_dossier
from archive.integrity import IntegrityReport, check_security, check_usability
from archive.numbers import is_valid_archive_no
from archive.objects import ObjectNotFound, StorageError
from archive.storage import ObjectStore
from service import clock
from service.archives import repository
from service.archives.holds import dossier_versions
from service.archives.media import check_object_lock, media_objects
from service.archives.models import Archive, ArchiveStatus
from service.cases import repository as cases
from service.cases.models import CaseStatus
from service.config import Settings
from service.documents import repository as documents
from service.documents.models import DocumentStatus


def verify_archive(settings: Settings, store: ObjectStore, archive: Archive) -> IntegrityReport:
    """Re-read one dossier from the archive ``store`` and report every finding of the 四性
    checks (its 档号 checked against the office's pattern in ``settings``)."""
    report = IntegrityReport(checked_at=clock.now())
    if not is_valid_archive_no(settings.archive_no_pattern, archive.archive_no):
        report.add("authenticity", "archive_no_format", f"档号 {archive.archive_no} is malformed")
    try:
        pdf = store.get(archive.object_key, archive.version_id)
    except ObjectNotFound:
        report.add("integrity", "object_missing", f"{archive.object_key} is not in storage")
        return report
    except StorageError as exc:
        report.add("security", "storage_unavailable", str(exc))
        return report
    if hashlib.sha256(pdf).hexdigest() != archive.sha256:
        report.add(
            "authenticity",
            "dossier_hash_mismatch",
            "the stored dossier does not match its recorded SHA-256",
        )
    inspection = inspect_dossier(pdf)
    check_usability(report, inspection, archive.page_count)
    recorded = {row["doc_no"]: row["sha256"] for row in archive.contents}
    manifest_docs = (inspection.manifest or {}).get("documents", [])
    for doc in manifest_docs:
        if recorded.get(doc.get("doc_no")) != doc.get("sha256"):
            report.add(
                "authenticity",
                "manifest_mismatch",
                f"{doc.get('doc_no')}: manifest SHA-256 differs from the record",
            )
    attached = set(inspection.attachments.values())
    for doc_no, sha in recorded.items():
        if sha not in attached:
            report.add(
                "authenticity",
                "attachment_mismatch",
                f"{doc_no}: no embedded DOCX with the recorded SHA-256",
            )
    if len(manifest_docs) != len(recorded):
        report.add(
            "integrity",
            "document_count",
            f"manifest lists {len(manifest_docs)} documents, record {len(recorded)}",
        )
    until = archive.retain_until
    check_security(
        report,
        store,
        archive.object_key,
        archive.version_id,
        until,
        until is None,
    )
    _verify_materials(store, archive, inspection, report)
    return report


def _verify_materials(
    store: ObjectStore, archive: Archive, inspection: DossierInspection, report: IntegrityReport
) -> None:
    """Each material the record lists: the manifest agrees, the embedded original has the
    recorded SHA-256, an audio or video object is there, unchanged and locked."""
    rows = archive.materials or []
    listed = {
        m.get("material_id"): m
        for m in (inspection.manifest or {}).get("materials", [])
        if isinstance(m, dict)
    }
    if len(listed) != len(rows):
        report.add(
            "integrity",
            "material_count",
            f"manifest lists {len(listed)} materials, record {len(rows)}",
        )
    for row in rows:
        title, sha = row["title"], row["sha256"]
        if (listed.get(row["material_id"]) or {}).get("sha256") != sha:
            report.add(
                "authenticity",
                "manifest_mismatch",
                f"material {title}: manifest SHA-256 differs from the record",
            )
        if row.get("attachment"):
            if inspection.attachments.get(row["attachment"]) != sha:
                report.add(
                    "authenticity",
                    "attachment_mismatch",
                    f"material {title}: no embedded original with the recorded SHA-256",
                )
            continue
        key, version = row.get("object_key"), row.get("version_id")
        if not key:
            report.add("integrity", "material_missing", f"material {title}: not stored")
            continue
        try:
            digest = hashlib.sha256()
            for chunk in store.stream(key, version):
                digest.update(chunk)
        except ObjectNotFound:
            report.add("integrity", "object_missing", f"material {title}: {key} is not in storage")
            continue
        except StorageError as exc:
            report.add("security", "storage_unavailable", str(exc))
            continue
        if digest.hexdigest() != sha:
            report.add(
                "authenticity",
                "media_hash_mismatch",
                f"material {title}: {key} does not match its recorded SHA-256",
            )
        check_object_lock(store, report, title, key, version, archive.retain_until)


@dataclass
class Reconciliation:
    """What did not match between records and storage, and what was repaired."""

    objects_without_record: list[str] = field(default_factory=list)
    records_without_object: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when records and storage agree (after repairs)."""
        return not (self.objects_without_record or self.records_without_object)


def reconcile(store: ObjectStore, session: Session) -> Reconciliation:
    """Compare dossier versions in the archive ``store`` with the records; repair what is
    safe to repair.

    Safe repairs only restore what the records already say: a case or document status that
    lags behind its archive, and a missing legal hold on a permanent dossier. Objects without
    a record (left by a failed archiving) are listed, never adopted or deleted: they are
    locked, and only an archivist can judge them.
    """
    out = Reconciliation()
    recorded = {(a.object_key, v.version_id): a for v, a in repository.all_versions(session)}
    stored = set()
    for obj in store.list_versions("dossiers/"):
        if obj.is_delete_marker:
            continue
        stored.add((obj.key, obj.version_id))
        if (obj.key, obj.version_id) not in recorded:
            out.objects_without_record.append(f"{obj.key} version {obj.version_id}")
    for (key, version_id), a in recorded.items():
        if a.status == ArchiveStatus.archived and (key, version_id) not in stored:
            out.records_without_object.append(f"{a.archive_no}: {key} version {version_id}")
    _reconcile_media(store, session, out)
    for a in repository.all_archives(session):
        if a.status != ArchiveStatus.archived:
            continue
        case = cases.get(session, a.case_id)
        assert case is not None
        if case.status != CaseStatus.archived:
            case.status = CaseStatus.archived
            out.repaired.append(f"{a.archive_no}: case {case.case_no} marked archived")
        archived_nos = {row["doc_no"] for row in a.contents}
        for d in documents.valid_for_case(session, a.case_id):
            if d.doc_no in archived_nos:
                d.status = DocumentStatus.archived
                out.repaired.append(f"{a.archive_no}: document {d.doc_no} marked archived")
        if (a.object_key, a.version_id) in stored:
            # permanent or held: the store must hold it too; otherwise no legal hold is left
            # behind (a release whose lifting failed)
            wanted = a.retain_until is None or bool(repository.active_holds(session, a.id))
            try:
                if store.get_legal_hold(a.object_key, a.version_id) != wanted:
                    for v in dossier_versions(store, a):
                        store.set_legal_hold(a.object_key, wanted, v)
                    state = "restored" if wanted else "lifted (no hold remains)"
                    out.repaired.append(f"{a.archive_no}: legal hold {state}")
                for key, version_id in media_objects(a):
                    if store.get_legal_hold(key, version_id) != wanted:
                        store.set_legal_hold(key, wanted, version_id)
                        state = "restored" if wanted else "lifted (no hold remains)"
                        out.repaired.append(f"{a.archive_no}: legal hold on {key} {state}")
            except StorageError as exc:
                out.records_without_object.append(f"{a.archive_no}: lock unreadable ({exc})")
    return out


def _reconcile_media(store: ObjectStore, session: Session, out: Reconciliation) -> None:
    """Audio and video objects without a record (left by a failed archiving: reused by the
    next, never adopted here) and recorded ones missing from the store."""
    recorded = {obj: a for a in repository.all_archives(session) for obj in media_objects(a)}
    stored = set()
    for obj in store.list_versions("media/"):
        if obj.is_delete_marker:
            continue
        stored.add((obj.key, obj.version_id))
        if (obj.key, obj.version_id) not in recorded:
            out.objects_without_record.append(f"{obj.key} version {obj.version_id}")
    for (key, version_id), a in recorded.items():
        if a.status == ArchiveStatus.archived and (key, version_id) not in stored:
            out.records_without_object.append(f"{a.archive_no}: {key} version {version_id}")
