"""四性 checks (DA/T 70): authenticity, integrity, usability and security of a dossier.

Every check adds findings to one report instead of stopping at the first problem, so an
archivist sees everything that is wrong at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from archive.dossier import DossierInspection
from archive.objects import StorageError
from archive.storage import ObjectStore

Aspect = Literal["authenticity", "integrity", "usability", "security"]
ASPECTS: tuple[Aspect, ...] = ("authenticity", "integrity", "usability", "security")


@dataclass(frozen=True)
class Finding:
    """One problem: which aspect, a stable code and a readable message."""

    aspect: Aspect
    code: str
    message: str


@dataclass
class IntegrityReport:
    """Findings and facts per aspect; ``ok`` when there are no findings."""

    checked_at: datetime
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, dict[str, Any]] = field(default_factory=lambda: {a: {} for a in ASPECTS})

    def add(self, aspect: Aspect, code: str, message: str) -> None:
        """Record a finding."""
        self.findings.append(Finding(aspect, code, message))

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        """JSON form, as stored in the archive record and the manifest."""
        out: dict[str, Any] = {"checked_at": self.checked_at.isoformat(), "ok": self.ok}
        for aspect in ASPECTS:
            found = [f for f in self.findings if f.aspect == aspect]
            out[aspect] = {
                "ok": not found,
                "findings": [{"code": f.code, "message": f.message} for f in found],
                **self.facts[aspect],
            }
        return out


@dataclass(frozen=True)
class PartRecord:
    """What the database says of one document, and the bytes read back from storage."""

    doc_no: str
    template_code: str
    template_version: str
    sha256: str
    pdf_sha256: str | None
    docx_sha256_read: str | None
    pdf_sha256_read: str | None


def check_parts(
    report: IntegrityReport,
    parts: Sequence[PartRecord],
    known_versions: Mapping[str, Collection[str]],
) -> None:
    """Authenticity of each document: stored bytes match their record; the template version
    that rendered it is one the registry knows (active, draft or retired)."""
    for p in parts:
        if p.docx_sha256_read != p.sha256:
            report.add(
                "authenticity",
                "docx_hash_mismatch",
                f"{p.doc_no}: DOCX read back does not match its recorded SHA-256",
            )
        if p.pdf_sha256 is None or p.pdf_sha256_read != p.pdf_sha256:
            report.add(
                "authenticity",
                "pdf_hash_mismatch",
                f"{p.doc_no}: PDF read back does not match its recorded SHA-256",
            )
        if p.template_version not in known_versions.get(p.template_code, ()):
            report.add(
                "authenticity",
                "template_version_unknown",
                f"{p.doc_no}: rendered by template {p.template_code} version "
                f"{p.template_version[:12]}…, which the template registry does not hold",
            )
    report.facts["authenticity"]["parts"] = [
        {
            "doc_no": p.doc_no,
            "template": p.template_code,
            "template_version": p.template_version,
            "sha256": p.sha256,
            "pdf_sha256": p.pdf_sha256,
        }
        for p in parts
    ]


@dataclass(frozen=True)
class MaterialRecord:
    """What the database says of one material, what was read back, and how it was filed."""

    title: str
    filing: str  # pages, attached, separate
    sha256: str
    sha256_read: str | None  # the documents bucket's bytes
    pages: int
    filed_pages: int | None  # pages it has in the dossier (None: not filed as pages)
    embedded_sha256: str | None = None  # the original embedded in the dossier
    object_key: str | None = None  # audio and video: the locked copy beside the dossier
    object_sha256: str | None = None


def check_materials(report: IntegrityReport, materials: Sequence[MaterialRecord]) -> None:
    """Authenticity: every material's stored bytes (and its locked copy) match the SHA-256
    recorded at upload. Integrity: every material is listed and present — its pages filed,
    its original embedded, or its audio or video stored beside the dossier."""
    for m in materials:
        if m.sha256_read != m.sha256:
            report.add(
                "authenticity",
                "material_hash_mismatch",
                f"material {m.title}: the stored file does not match its recorded SHA-256",
            )
        if m.filing == "separate":
            if m.object_key is None:
                report.add("integrity", "material_missing", f"material {m.title}: not stored")
            elif m.object_sha256 != m.sha256:
                report.add(
                    "authenticity",
                    "media_hash_mismatch",
                    f"material {m.title}: {m.object_key} does not match its SHA-256",
                )
            continue
        if m.embedded_sha256 != m.sha256:
            report.add(
                "integrity", "material_missing", f"material {m.title}: original not embedded"
            )
        if m.filing == "pages" and m.filed_pages != m.pages:
            report.add(
                "integrity",
                "material_pages",
                f"material {m.title}: {m.pages} pages recorded, {m.filed_pages} filed",
            )
    report.facts["authenticity"]["materials"] = [
        {"title": m.title, "filing": m.filing, "sha256": m.sha256, "object_key": m.object_key}
        for m in materials
    ]
    report.facts["integrity"]["materials"] = len(materials)


def check_archive_no(report: IntegrityReport, archive_no: str, valid: bool) -> None:
    """The 档号 has the configured form."""
    report.facts["authenticity"]["archive_no"] = archive_no
    if not valid:
        report.add("authenticity", "archive_no_format", f"档号 {archive_no} has the wrong form")


def check_completeness(
    report: IntegrityReport,
    required: Sequence[str],
    present: Iterable[str],
    doc_numbers: Sequence[str],
) -> None:
    """Integrity: required documents present, 文号 unique."""
    have = set(present)
    missing = [c for c in required if c not in have]
    report.facts["integrity"].update(required=list(required), present=sorted(have), missing=missing)
    for code in missing:
        report.add("integrity", "document_missing", f"required document {code} is missing")
    duplicates = sorted({n for n in doc_numbers if doc_numbers.count(n) > 1})
    for n in duplicates:
        report.add("integrity", "duplicate_doc_no", f"文号 {n} appears more than once")


def check_metadata(report: IntegrityReport, metadata: Mapping[str, Any]) -> None:
    """Integrity: the descriptive metadata an archive needs is filled in."""
    empty = [k for k, v in metadata.items() if v in (None, "", [])]
    report.facts["integrity"]["metadata_missing"] = empty
    for key in empty:
        report.add("integrity", "metadata_missing", f"metadata field {key} is empty")


def check_ranges(report: IntegrityReport, ranges: Sequence[tuple[int, int]], first: int) -> None:
    """Integrity: documents follow each other page by page, with no gap or overlap."""
    expected = first
    for i, (start, end) in enumerate(ranges, start=1):
        if start != expected or end < start:
            report.add(
                "integrity", "page_gap", f"document {i} starts at page {start}, expected {expected}"
            )
        expected = end + 1


def check_usability(
    report: IntegrityReport, inspection: DossierInspection, expected_pages: int | None
) -> None:
    """Usability: the dossier opens, its page count matches, its fonts are embedded."""
    report.facts["usability"].update(
        opens=inspection.opens,
        page_count=inspection.page_count,
        fonts_embedded=all(f.embedded for f in inspection.fonts),
        pdfa=f"{inspection.pdfa_part}{inspection.pdfa_conformance or ''}",
    )
    if not inspection.opens:
        report.add("usability", "unreadable", "the dossier PDF does not open")
    if expected_pages is not None and inspection.page_count != expected_pages:
        report.add(
            "usability", "page_count", f"{inspection.page_count} pages, expected {expected_pages}"
        )
    for f in inspection.fonts:
        if not f.embedded:
            report.add("usability", "font_not_embedded", f"font {f.name} is not embedded")
    for message in inspection.findings:
        report.add("usability", "dossier", message)


def check_security(
    report: IntegrityReport,
    store: ObjectStore,
    key: str,
    version_id: str | None,
    retain_until: datetime | None,
    permanent: bool,
) -> None:
    """Security: the stored version is versioned and locked as its class requires."""
    facts = report.facts["security"]
    facts["versioned"] = bool(version_id)
    if not version_id:
        report.add("security", "not_versioned", "the dossier object has no version id")
    try:
        retention = store.get_retention(key, version_id)
        hold = store.get_legal_hold(key, version_id)
    except StorageError as exc:
        report.add("security", "lock_unreadable", f"object lock state unreadable: {exc}")
        return
    facts["legal_hold"] = hold
    facts["retention"] = (
        {"mode": retention.mode, "retain_until": retention.retain_until.isoformat()}
        if retention
        else None
    )
    if permanent and not hold:
        report.add("security", "legal_hold_missing", "a permanent dossier has no legal hold")
    if retain_until is not None:
        if retention is None or retention.mode != "COMPLIANCE":
            report.add("security", "retention_missing", "no COMPLIANCE retention on the dossier")
        elif retention.retain_until < retain_until:
            report.add(
                "security",
                "retention_short",
                f"retained until {retention.retain_until.isoformat()}, "
                f"needs {retain_until.isoformat()}",
            )
