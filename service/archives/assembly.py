"""Building a dossier from what archiving gathered: the 四性 report, the cover, the manifest,
the 卷内文书清单. Pure: no database, no object store — the steps around it do the I/O."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from archive.dossier import (
    AssembledDossier,
    DossierCover,
    DossierDocument,
    DossierInspection,
    DossierMaterial,
    assemble_dossier,
    inspect_dossier,
    material_attachment_name,
)
from archive.integrity import (
    IntegrityReport,
    MaterialRecord,
    PartRecord,
    check_archive_no,
    check_completeness,
    check_materials,
    check_metadata,
    check_parts,
    check_ranges,
    check_usability,
)
from archive.materials import Filing as MaterialFiling
from archive.numbers import is_valid_archive_no
from archive.objects import StoredObject
from doc_templates import get_template
from doc_templates.packs import INTERVIEW, get_pack
from doc_templates.spec import field_at
from service import clock
from service.documents.models import Document
from service.materials.models import Material


@dataclass(frozen=True)
class CaseFacts:
    """The case as the dossier shows it."""

    case_id: int
    case_no: str
    party: str
    cause: str
    outcome: str | None
    closed_on: date
    major: bool
    livelihood: bool
    pack: str = INTERVIEW  # the template pack: the cover's title and key date
    voided: tuple[str, ...] = ()  # 卷内备考表: documents voided, one line each
    supplemented: tuple[str, ...] = ()  # 卷内备考表: documents filed after the first archiving


@dataclass(frozen=True)
class Placement:
    """Where the dossier goes: its 档号 and lock, fixed before it is built."""

    archive_no: str
    item_no: int
    retention_class: str
    retention_label: str
    expires_on: date | None
    retain_until: datetime | None
    verify_id: str
    verify_url: str


@dataclass(frozen=True)
class Filing:
    """Who files the dossier, under which fonds and numbering (from settings and the actor)."""

    agency_name: str
    fonds_no: str
    archive_no_pattern: str
    filed_by: str  # 立卷人
    checked_by: str  # 检查人


@dataclass(frozen=True)
class MaterialPart:
    """A material as archiving gathered it: its record, the bytes read back from the
    documents bucket and, for audio and video, the locked copy beside the dossier."""

    material: Material
    data: bytes
    media: StoredObject | None = None


@dataclass(frozen=True)
class Built:
    """A dossier built and checked, ready to store."""

    dossier: AssembledDossier
    report: IntegrityReport
    documents: list[DossierDocument]
    interview_on: date | None
    contents: list[dict[str, Any]]
    materials: list[dict[str, Any]] = field(default_factory=list)


def fingerprint(
    facts: CaseFacts,
    docs: list[Document],
    agency_name: str,
    fonds_no: str,
    cls: str,
    materials: list[Material] | None = None,
) -> str:
    """What a dossier of this case would hold: the same fingerprint, the same dossier.

    Re-archiving an unchanged case is refused on it, so that no second COMPLIANCE-locked copy
    of the same file is written.
    """
    body = {
        "case": [facts.case_no, facts.party, facts.cause, facts.outcome, str(facts.closed_on)],
        "voided": list(facts.voided),
        "agency": [agency_name, fonds_no, cls],
        "documents": [
            [d.id, d.doc_no, d.template_code, d.template_version, d.sha256] for d in docs
        ],
    }
    if materials:  # absent when there are none, so older fingerprints stay valid
        body["materials"] = [
            [m.id, m.sha256, m.kind.value, m.title, str(m.made_on), m.author, m.ref_no]
            for m in materials
        ]
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def interview_on(docs: list[Document]) -> date | None:
    """The interview date a cover shows: from the templates whose spec names one, the record
    of the interview held before the notice that announced it."""
    found: list[tuple[int, date]] = []
    for d in docs:
        spec = get_template(d.template_code).spec
        value = field_at(d.data, spec.interview_date)
        if isinstance(value, str) and len(value) >= 10:
            rank = 0 if spec.act == "interview_held" else 1
            found.append((rank, date.fromisoformat(value[:10])))
    return min(found)[1] if found else None


def build(
    facts: CaseFacts,
    place: Placement,
    docs: list[Document],
    parts: list[tuple[bytes, bytes]],
    required: list[str],
    filing: Filing,
    materials: list[MaterialPart] | None = None,
    *,
    known_versions: Mapping[str, Collection[str]],
) -> Built:
    """Check the parts, assemble the dossier and check it: every finding in one report.
    ``known_versions`` are the template versions the registry holds, per template code."""
    materials = materials or []
    agency_name, fonds_no = filing.agency_name, filing.fonds_no
    report = IntegrityReport(checked_at=clock.now())
    check_archive_no(
        report, place.archive_no, is_valid_archive_no(filing.archive_no_pattern, place.archive_no)
    )
    check_parts(
        report,
        [
            PartRecord(
                d.doc_no,
                d.template_code,
                d.template_version,
                d.sha256,
                d.pdf_sha256,
                hashlib.sha256(docx).hexdigest(),
                hashlib.sha256(pdf).hexdigest(),
            )
            for d, (docx, pdf) in zip(docs, parts, strict=True)
        ],
        known_versions,
    )
    check_completeness(report, required, [d.template_code for d in docs], [d.doc_no for d in docs])
    metadata = {
        "case_no": facts.case_no,
        "party": facts.party,
        "cause": facts.cause,
        "closed_on": facts.closed_on.isoformat(),
        "outcome": facts.outcome,
        "agency": agency_name,
        "fonds_no": fonds_no,
    }
    check_metadata(report, metadata)
    documents = [
        DossierDocument(
            seq=i,
            template_code=d.template_code,
            title=get_template(d.template_code).name,
            doc_no=d.doc_no,
            issued_on=d.issued_at.astimezone(clock.LOCAL_TZ).date(),
            made_on=d.issued_on,  # 成文日期: the date the 清单 and the file go by
            pdf=pdf,
            docx=docx,
            sha256=d.sha256,
            pdf_sha256=d.pdf_sha256 or "",
            template_version=d.template_version,
        )
        for i, (d, (docx, pdf)) in enumerate(zip(docs, parts, strict=True), start=1)
    ]
    interview = interview_on(docs)
    cover = DossierCover(
        agency_name=agency_name,
        fonds_no=fonds_no,
        year=facts.closed_on.year,
        retention_label=place.retention_label,
        item_no=place.item_no,
        archive_no=place.archive_no,
        case_no=facts.case_no,
        party=facts.party,
        interview_date=interview,
        verify_url=place.verify_url,
        title=get_pack(facts.pack).dossier_title,
        date_label=get_pack(facts.pack).date_label,
        cause=facts.cause,
        closed_on=facts.closed_on,
        filed_by=filing.filed_by,
        checked_by=filing.checked_by,
        filed_on=clock.today(),
        voided=facts.voided,
        supplemented=facts.supplemented,
    )
    filed = [dossier_material(i, part) for i, part in enumerate(materials, start=1)]
    manifest: dict[str, Any] = {
        "archive_no": place.archive_no,
        "case": {
            **metadata,
            "interview_on": interview.isoformat() if interview else None,
            "retention_class": place.retention_class,
            "expires_on": place.expires_on.isoformat() if place.expires_on else None,
        },
        "documents": [
            {
                "seq": dd.seq,
                "template": dd.template_code,
                "name": dd.title,
                "doc_no": dd.doc_no,
                "issued_on": dd.dated.isoformat(),
                "sha256": dd.sha256,
                "pdf_sha256": dd.pdf_sha256,
                "template_version": dd.template_version,
            }
            for dd in documents
        ],
        "materials": [material_entry(part, dm) for part, dm in zip(materials, filed, strict=True)],
        "integrity": report.as_dict(),
    }
    dossier = assemble_dossier(cover, documents, manifest, filed)
    check_ranges(report, dossier.filed_ranges, dossier.front_pages + 1)
    inspection = inspect_dossier(dossier.pdf)
    check_usability(report, inspection, dossier.page_count)
    rows = material_rows(materials, filed, dossier)
    check_materials(report, material_records(materials, filed, dossier, inspection))
    return Built(dossier, report, documents, interview, contents(documents, dossier), rows)


def dossier_material(seq: int, part: MaterialPart) -> DossierMaterial:
    """The material as the assembler files it (audio and video: listed, not embedded)."""
    m = part.material
    return DossierMaterial(
        seq=seq,
        title=m.title,
        made_on=m.made_on,
        author=m.author,
        format=m.format,
        filing=m.filing,
        media_type=m.media_type,
        sha256=m.sha256,
        size=m.size,
        pages=m.pages,
        data=b"" if m.filing is MaterialFiling.separate else part.data,
        doc_no=m.ref_no or "",
        object_key=part.media.key if part.media else "",
    )


def material_entry(part: MaterialPart, dm: DossierMaterial) -> dict[str, Any]:
    """A material in the manifest: what it is, its hash and, for media, its locked object."""
    m = part.material
    return {
        "seq": dm.seq,
        "material_id": m.id,
        "kind": m.kind.value,
        "title": m.title,
        "made_on": m.made_on.isoformat(),
        "author": m.author,
        "ref_no": m.ref_no,
        "format": m.format.value,
        "media_type": m.media_type,
        "filing": m.filing.value,
        "pages": m.pages,
        "duration": m.duration,
        "size": m.size,
        "sha256": m.sha256,
        "object_key": part.media.key if part.media else None,
        "version_id": part.media.version_id if part.media else None,
    }


def material_rows(
    parts: list[MaterialPart], filed: list[DossierMaterial], dossier: AssembledDossier
) -> list[dict[str, Any]]:
    """The materials as stored in the archive record (the 清单's material rows)."""
    where = _placed(filed, dossier)
    rows = []
    for part, dm in zip(parts, filed, strict=True):
        pages, numbers = where[dm.seq]
        rows.append(
            {
                **material_entry(part, dm),
                "attachment": None
                if dm.filing is MaterialFiling.separate
                else material_attachment_name(dm),
                "start_page": pages[0] if pages else None,
                "end_page": pages[1] if pages else None,
                "page_numbers": list(numbers) if numbers else None,
            }
        )
    return rows


def material_records(
    parts: list[MaterialPart],
    filed: list[DossierMaterial],
    dossier: AssembledDossier,
    inspection: DossierInspection,
) -> list[MaterialRecord]:
    """What the 四性 checks compare for each material."""
    where = _placed(filed, dossier)
    records = []
    for part, dm in zip(parts, filed, strict=True):
        pages, _ = where[dm.seq]
        records.append(
            MaterialRecord(
                title=dm.title,
                filing=dm.filing.value,
                sha256=dm.sha256,
                sha256_read=hashlib.sha256(part.data).hexdigest(),
                pages=dm.pages,
                filed_pages=pages[1] - pages[0] + 1 if pages else None,
                embedded_sha256=inspection.attachments.get(material_attachment_name(dm)),
                object_key=part.media.key if part.media else None,
                object_sha256=part.media.sha256 if part.media else None,
            )
        )
    return records


def _placed(
    filed: list[DossierMaterial], dossier: AssembledDossier
) -> dict[int, tuple[tuple[int, int] | None, tuple[int, int] | None]]:
    """Per material seq: its pages in the file and its 页号 (the assembler's filing order)."""
    order = sorted(filed, key=lambda m: (m.made_on, m.seq))
    return {
        m.seq: (pages, numbers)
        for m, pages, numbers in zip(
            order, dossier.material_ranges, dossier.material_page_numbers, strict=True
        )
    }


def contents(docs: list[DossierDocument], dossier: AssembledDossier) -> list[dict[str, Any]]:
    """The 卷内文书清单 as stored in the archive record."""
    return [
        {
            "seq": d.seq,
            "template": d.template_code,
            "name": d.title,
            "doc_no": d.doc_no,
            "issued_on": d.dated.isoformat(),
            "pages": end - start + 1,
            "start_page": start,
            "end_page": end,
            "page_numbers": list(numbers),  # 页号 printed on the pages, from 1
            "sha256": d.sha256,
            "pdf_sha256": d.pdf_sha256,
            "template_version": d.template_version,
        }
        for d, (start, end), numbers in zip(docs, dossier.ranges, dossier.page_numbers, strict=True)
    ]
