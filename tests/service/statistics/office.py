"""An office's cases built from acts with known dates: each case's acts, documents, closure and
archiving written as they would have been recorded, its steps computed by the real process
code (``sync_steps`` on the office calendar). The figures the tests expect are counted by hand
from the dates written here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.archives.models import Archive, ArchiveVersion
from service.cases.models import Case, CaseOutcome, CaseStatus, PartyKind
from service.config import Settings
from service.documents.models import Document, DocumentStatus
from service.process.models import Act, ActKind
from service.process.service import sync_steps

K = ActKind
TODAY = "2026-11-16 10:00"  # a Monday


def moment(day: str, hour: int = 10) -> datetime:
    """A local office time as UTC."""
    return datetime.combine(date.fromisoformat(day), time(hour), clock.LOCAL_TZ).astimezone(UTC)


@dataclass
class Doc:
    """A document of the case: its template, 成文日期, and when it was voided (office day)."""

    code: str
    issued_on: str
    voided_on: str | None = None


@dataclass
class Spec:
    """A case: its clue, its acts ``(kind, date, detail, voided)``, documents, closure."""

    name: str
    section: str | None
    handler: str | None
    clue_on: str
    acts: list[tuple[ActKind, str, dict[str, Any], bool]] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    outcome: CaseOutcome | None = None
    closed_on: str | None = None
    satisfaction: int | None = None
    archived_on: str | None = None


def act(kind: ActKind, on: str, voided: bool = False, **detail: Any) -> tuple[Any, ...]:
    """One act of a spec."""
    return (kind, on, detail, voided)


_seq = iter(range(1, 10_000))


def build(session: Session, settings: Settings, spec: Spec) -> Case:
    """Write the case, its acts, documents, closure and archive record; compute its steps."""
    n = next(_seq)
    now = clock.now()
    case = Case(
        case_no=f"测试〔2026〕{n}号",
        agency_code="TEST",
        year=2026,
        seq=n,
        status=CaseStatus.open,
        party_name=spec.name,
        party_kind=PartyKind.enterprise,
        cause="统计测试",
        section=spec.section,
        handler=spec.handler,
        clue_received_on=date.fromisoformat(spec.clue_on),
        client_id="test",
        created_by="test",
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    acts = [(K.clue_received, spec.clue_on, {}, False), *spec.acts]
    if spec.closed_on:
        outcome = spec.outcome.value if spec.outcome else None
        acts.append((K.case_closed, spec.closed_on, {"outcome": outcome}, False))
        case.status, case.outcome = CaseStatus.closed, spec.outcome
        case.closed_on = date.fromisoformat(spec.closed_on)
        case.closed_at, case.satisfaction = moment(spec.closed_on), spec.satisfaction
    for kind, on, detail, voided in acts:
        session.add(
            Act(
                case_id=case.id,
                kind=kind,
                occurred_on=date.fromisoformat(on),
                detail=detail,
                recorded_by="test",
                recorded_at=moment(on),
                voided_at=moment(on, 15) if voided else None,
            )
        )
    for doc in spec.docs:
        d = next(_seq)
        session.add(
            Document(
                case_id=case.id,
                template_code=doc.code,
                template_version="test",
                doc_no=f"测试文〔2026〕{d}号",
                year=2026,
                seq=d,
                status=DocumentStatus.superseded if doc.voided_on else DocumentStatus.valid,
                data={},
                issued_on=date.fromisoformat(doc.issued_on),
                issued_at=moment(doc.issued_on),
                issued_by="test",
                voided_at=moment(doc.voided_on) if doc.voided_on else None,
                verify_id=uuid.uuid4().hex,
                sha256="0" * 64,
                size=1,
                storage_key=f"test/{d}",
                client_id="test",
            )
        )
    if spec.archived_on:
        _archive(session, case, spec.archived_on)
    session.flush()
    sync_steps(session, settings, case)
    return case


def _archive(session: Session, case: Case, on: str) -> None:
    assert case.closed_on is not None
    case.status = CaseStatus.archived
    archive = Archive(
        case_id=case.id,
        archive_no=f"TEST-2026-{case.seq}",
        fonds_no="T1",
        year=2026,
        item_no=case.seq,
        retention_class="30Y",
        closed_on=case.closed_on,
        case_no=case.case_no,
        party_name=case.party_name,
        object_key=f"test/archive/{case.id}",
        sha256="0" * 64,
        size=1,
        page_count=1,
        verify_id=uuid.uuid4().hex,
        contents=[],
        integrity={},
        archived_at=moment(on),
        archived_by="test",
    )
    session.add(archive)
    session.flush()
    session.add(
        ArchiveVersion(
            archive_id=archive.id,
            version_no=1,
            sha256="0" * 64,
            size=1,
            archived_at=moment(on),
            archived_by="test",
        )
    )
    session.flush()


APPROVED = {"approved": True}
SERVED_04 = {"templates": ["04"]}

# The office of the tests (2026; Q3 is 07-01..09-30). Due dates counted on the 2026 calendar
# (no holiday in July or August; National Day 10-01..10-07, Saturday 10-10 worked).
CASES = [
    # A: on time throughout, closed 08-14 as passed (满意度 90), a 09, archived 08-20 (due 08-28).
    # clue 07-01 → 04 on 07-08: 5 working days.
    Spec(
        "甲公司",
        "一科",
        "张三",
        "2026-07-01",
        [
            act(K.verification_done, "2026-07-03"),  # due 07-06
            act(K.legal_review_concluded, "2026-07-06", **APPROVED),  # due 07-07
            act(K.approval_signed, "2026-07-07", **APPROVED),  # due 07-07
            act(K.notice_issued, "2026-07-08"),  # due 07-09
            act(K.document_served, "2026-07-09", **SERVED_04),  # due 07-09
            act(K.interview_held, "2026-07-10"),  # due 07-16
            act(K.rectification_notice_issued, "2026-07-13", deadline="2026-08-14"),
            act(K.report_received, "2026-08-10"),  # report due 08-11, rectification 08-14
            act(K.acceptance_concluded, "2026-08-12", passed=True),  # due 08-17
        ],
        [Doc("09", "2026-08-12")],
        CaseOutcome.passed,
        "2026-08-14",
        90,
        "2026-08-20",
    ),
    # B: verification late (due 07-09), service late (due 07-20), report late (due 08-18); a
    # wrong 07 voided the day it was made (its act voided), the 09 voided in October: no
    # effective 09; failed acceptance, penalty, closed 09-02; never archived (due 09-16).
    # clue 07-06 → 04 on 07-20: 10 working days.
    Spec(
        "乙公司",
        "一科",
        "张三",
        "2026-07-06",
        [
            act(K.verification_done, "2026-07-14"),  # due 07-09: late
            act(K.legal_review_concluded, "2026-07-15", **APPROVED),  # due 07-16
            act(K.approval_signed, "2026-07-16", **APPROVED),  # due 07-16
            act(K.notice_issued, "2026-07-20"),  # due 07-20
            act(K.document_served, "2026-07-21", **SERVED_04),  # due 07-20: late
            act(K.interview_held, "2026-07-21", voided=True),
            act(K.interview_held, "2026-07-22"),  # due 07-28
            act(K.rectification_notice_issued, "2026-07-23", deadline="2026-08-21"),
            act(K.report_received, "2026-08-20"),  # report due 08-18: late
            act(K.acceptance_concluded, "2026-08-24", passed=False),  # due 08-27
            act(K.penalty_started, "2026-08-26"),
        ],
        [Doc("07", "2026-07-21", voided_on="2026-07-21"), Doc("09", "2026-08-25", "2026-10-09")],
        CaseOutcome.penalty,
        "2026-09-02",
    ),
    # C: on time, clue in Q3, closed in Q4 (10-09, passed, 满意度 70), no 09 at all, archived
    # 10-12 (due 10-22). clue 08-03 → 04 on 08-07: 4 working days.
    Spec(
        "丙公司",
        "二科",
        "李四",
        "2026-08-03",
        [
            act(K.verification_done, "2026-08-04"),
            act(K.legal_review_concluded, "2026-08-05", **APPROVED),
            act(K.approval_signed, "2026-08-06", **APPROVED),
            act(K.notice_issued, "2026-08-07"),
            act(K.document_served, "2026-08-10", **SERVED_04),
            act(K.interview_held, "2026-08-11"),
            act(K.rectification_notice_issued, "2026-08-12", deadline="2026-09-11"),
            act(K.report_received, "2026-09-01"),
            act(K.acceptance_concluded, "2026-09-03", passed=True),
        ],
        [],
        CaseOutcome.passed,
        "2026-10-09",
        70,
        "2026-10-12",
    ),
    # E: three steps late in a row (verification due 08-06, legal review due 08-12, approval
    # due 08-14), then the 04 on time (due 08-19) and never served (due 08-19: overdue now).
    # clue 08-03 → 04 on 08-18: 11 working days.
    Spec(
        "戊公司",
        "三科",
        "王五",
        "2026-08-03",
        [
            act(K.verification_done, "2026-08-10"),
            act(K.legal_review_concluded, "2026-08-13", **APPROVED),
            act(K.approval_signed, "2026-08-17", **APPROVED),
            act(K.notice_issued, "2026-08-18"),
        ],
    ),
    # F: clue in Q2 (06-30); the 04 late (due 07-08) on 07-31, never served (due 07-08).
    # clue 06-30 → 04 on 07-31: 23 working days.
    Spec(
        "己公司",
        "二科",
        "李四",
        "2026-06-30",
        [
            act(K.verification_done, "2026-07-02"),  # due 07-03
            act(K.legal_review_concluded, "2026-07-03", **APPROVED),  # due 07-06
            act(K.approval_signed, "2026-07-06", **APPROVED),  # due 07-06
            act(K.notice_issued, "2026-07-31"),  # due 07-08: late
        ],
    ),
]
