"""Destruction of expired archives: an archivist proposes, a leader approves, three or more
supervisors confirm with their own credentials, and only then is every version deleted.

Execution works archive by archive: all versions of one dossier are deleted, then its register
entry and statuses are written in one transaction. A run cut short leaves the list
``executing``; running it again picks up the archives not yet registered (the store's listing
says what is left to delete) and finishes, then renders the destruction record and stores it
under a permanent legal hold.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.destruction_record import (
    DestroyedItem,
    DestructionRecord,
    Signature,
    render_destruction_record,
)
from archive.objects import ObjectLocked
from archive.storage import ObjectStore
from service import clock
from service.archives import repository as archives
from service.archives.models import Archive, ArchiveStatus
from service.audit.service import Actor, record
from service.cases import repository as cases
from service.cases.flows import CaseAction, next_status
from service.config import Settings
from service.db import reading, transaction
from service.destruction import repository
from service.destruction.flows import ListAction, next_list_status
from service.destruction.models import (
    DestructionItem,
    DestructionList,
    ListStatus,
    RegisterEntry,
    SupervisorConfirmation,
)
from service.documents import repository as documents
from service.documents.models import DocumentStatus
from service.errors import Conflict, Forbidden, NotFound
from service.materials import repository as materials
from service.materials.models import MaterialStatus
from service.numbering.service import next_value

MIN_SUPERVISORS = 3


class NotDestroyable(Conflict):
    """Some archives may not be destroyed (not expired, permanent, held, already listed)."""

    code = "not_destroyable"


class NotEnoughSupervisors(Conflict):
    """Destruction needs at least three distinct supervisors' confirmations."""

    code = "not_enough_supervisors"


class AlreadyExecuted(Conflict):
    """This destruction list was executed already."""

    code = "already_executed"


class SeparationOfDuties(Forbidden):
    """The same person may not hold two roles in one destruction."""

    code = "separation_of_duties"


def _why_not(session: Session, archive: Archive, now: datetime) -> str | None:
    if archive.status != ArchiveStatus.archived:
        return f"is {archive.status}"
    if archive.retain_until is None:
        return "is kept permanently"
    if archive.retain_until > now:
        return f"is retained until {archive.retain_until.isoformat()}"
    if archives.active_holds(session, archive.id):
        return "is under a hold"
    return None


def propose(
    session: Session, actor: Actor, archive_nos: list[str], appraisal: str, title: str | None
) -> DestructionList:
    """Put due archives on a new destruction list (销毁清册) with the appraisal note."""
    now = clock.now()
    problems = []
    found = []
    for no in dict.fromkeys(archive_nos):
        archive = archives.get_by_no(session, no)
        if archive is None:
            problems.append({"archive_no": no, "reason": "does not exist"})
            continue
        reason = _why_not(session, archive, now)
        other = repository.open_list_of(session, archive.id)
        if reason is None and other is not None:
            reason = f"is already on destruction list {other.list_no}"
        if reason:
            problems.append({"archive_no": no, "reason": reason})
        found.append(archive)
    if problems:
        raise NotDestroyable(
            {"message": "some archives may not be destroyed", "archives": problems}
        )
    year = now.astimezone(clock.LOCAL_TZ).year
    seq = next_value(session, "destruction-list", year)
    lst = DestructionList(
        list_no=f"销毁〔{year}〕{seq}号",
        title=title or f"{year}年第{seq}批到期档案销毁清册",
        appraisal=appraisal,
        status=ListStatus.proposed,
        proposed_by=actor.principal.label,
        proposed_at=now,
    )
    session.add(lst)
    session.flush()
    session.add_all(DestructionItem(list_id=lst.id, archive_id=a.id) for a in found)
    record(
        session,
        actor,
        "destruction.propose",
        "destruction_list",
        lst.id,
        {"list_no": lst.list_no, "archives": [a.archive_no for a in found]},
    )
    return lst


def get_list(session: Session, list_id: int, *, for_update: bool = False) -> DestructionList:
    """A destruction list, or 404."""
    lst = repository.get_list(session, list_id, for_update=for_update)
    if lst is None:
        raise NotFound(f"destruction list {list_id} not found")
    return lst


def decide(
    session: Session, actor: Actor, list_id: int, approve: bool, comment: str
) -> DestructionList:
    """A leader approves or rejects a list; never the person who proposed it."""
    lst = get_list(session, list_id, for_update=True)
    if lst.proposed_by == actor.principal.label:
        raise SeparationOfDuties("the proposer cannot decide on their own list")
    lst.status = next_list_status(lst.status, ListAction.approve if approve else ListAction.reject)
    lst.decided_by, lst.decided_at, lst.decision_comment = (
        actor.principal.label,
        clock.now(),
        comment,
    )
    record(
        session,
        actor,
        "destruction.approve" if approve else "destruction.reject",
        "destruction_list",
        lst.id,
        {"comment": comment},
    )
    return lst


def confirm(session: Session, actor: Actor, list_id: int) -> SupervisorConfirmation:
    """A supervisor confirms, with their own login, that they supervise this destruction."""
    p = actor.principal
    if p.kind != "user":
        raise Forbidden("supervisors confirm with their own login, not an API key")
    lst = get_list(session, list_id, for_update=True)
    next_list_status(lst.status, ListAction.confirm)
    if p.label in (lst.proposed_by, lst.decided_by):
        raise SeparationOfDuties("a supervisor may not be the proposer or the approver")
    if any(c.user_id == p.id for c in repository.confirmations(session, lst.id)):
        raise Conflict(f"{p.name} has already confirmed this list")
    c = SupervisorConfirmation(
        list_id=lst.id,
        user_id=p.id,
        name=p.label,
        confirmed_at=clock.now(),
        request_id=actor.request_id,
    )
    session.add(c)
    session.flush()
    record(session, actor, "destruction.confirm", "destruction_list", lst.id, {})
    return c


def execute(
    sessions: sessionmaker[Session],
    settings: Settings,
    documents_store: ObjectStore,
    archive_store: ObjectStore,
    actor: Actor,
    list_id: int,
) -> DestructionList:
    """Destroy every archive of an approved, supervised list (its dossiers in
    ``archive_store``, its issued files and materials in ``documents_store``); re-running
    finishes a cut run."""
    with transaction(sessions) as session:
        lst = get_list(session, list_id, for_update=True)
        if lst.status == ListStatus.executed:
            raise AlreadyExecuted(f"{lst.list_no} was executed at {lst.executed_at}")
        lst.status = next_list_status(lst.status, ListAction.execute)
        supervisors = repository.confirmations(session, lst.id)
        if len({c.user_id for c in supervisors}) < MIN_SUPERVISORS:
            raise NotEnoughSupervisors(
                f"{len(supervisors)} supervisor(s) confirmed; at least {MIN_SUPERVISORS} needed"
            )
        now = clock.now()
        pending = [(i, a) for i, a in repository.items(session, lst.id) if i.destroyed_at is None]
        problems = [
            {"archive_no": a.archive_no, "reason": why}
            for _, a in pending
            if (why := _why_not(session, a, now))
        ]
        if problems:
            raise NotDestroyable(
                {"message": "some archives may not be destroyed now", "archives": problems}
            )
        lst.executed_by = actor.principal.label
        record(
            session,
            actor,
            "destruction.execute",
            "destruction_list",
            lst.id,
            {"archives": [a.archive_no for _, a in pending]},
        )
        pending_ids = [(i.id, a.id) for i, a in pending]

    for item_id, archive_id in pending_ids:
        _destroy_one(sessions, documents_store, archive_store, actor, list_id, item_id, archive_id)
    return _finish(sessions, settings, archive_store, actor, list_id)


def _destroy_one(
    sessions: sessionmaker[Session],
    documents_store: ObjectStore,
    archive_store: ObjectStore,
    actor: Actor,
    list_id: int,
    item_id: int,
    archive_id: int,
) -> None:
    """Delete every version, note what the store answered, then register: three steps."""
    answers = _delete_versions(sessions, documents_store, archive_store, archive_id)
    _note_deletion(sessions, actor, list_id, archive_id, answers)
    _register(sessions, actor, list_id, item_id, archive_id, answers)


def _delete_versions(
    sessions: sessionmaker[Session],
    documents_store: ObjectStore,
    archive_store: ObjectStore,
    archive_id: int,
) -> list[dict[str, Any]]:
    """Step 1: delete the dossier's every version, its audio and video objects, the issued
    files and the materials' files; the store's answers.

    A re-run after a cut between this step and the register finds nothing left to delete and
    says so; what the first run deleted is in the audit trail (``_note_deletion``).
    """
    with reading(sessions) as session:
        archive = archives.get(session, archive_id)
        key = archive.object_key
        doc_keys = [
            k
            for d in documents.list_for_case(session, archive.case_id)
            for k in (d.storage_key, d.pdf_storage_key)
            if k
        ]
        filed = materials.list_for_case(session, archive.case_id)
        doc_keys += [m.storage_key for m in filed]  # the materials' uploaded files
        # audio and video beside the dossier, under its lock; each key holds their versions
        locked = sorted({key, *(m.archive_key for m in filed if m.archive_key)})
    answers: list[dict[str, Any]] = []
    try:
        for locked_key in locked:
            for v in archive_store.list_versions(locked_key):
                if v.key != locked_key:
                    continue
                archive_store.delete_version(locked_key, v.version_id or "")
                answers.append({"key": locked_key, "version_id": v.version_id, "answer": "deleted"})
        for doc_key in doc_keys:  # the issued files are copies of the dossier's contents
            if documents_store.exists(doc_key):
                documents_store.delete(doc_key)
                answers.append({"key": doc_key, "answer": "deleted"})
    except ObjectLocked as exc:
        raise NotDestroyable(f"the store refused to delete {key}: {exc}") from exc
    if not answers:
        answers.append({"key": key, "answer": "no version left (deleted by an earlier run)"})
    return answers


def _note_deletion(
    sessions: sessionmaker[Session],
    actor: Actor,
    list_id: int,
    archive_id: int,
    answers: list[dict[str, Any]],
) -> None:
    """Step 2: the store's answers in the audit trail at once, before the register."""
    with transaction(sessions) as session:
        archive = archives.get(session, archive_id)
        record(
            session,
            actor,
            "archive.versions_deleted",
            "archive",
            archive.archive_no,
            {"list_id": list_id, "store": answers},
        )


def _register(
    sessions: sessionmaker[Session],
    actor: Actor,
    list_id: int,
    item_id: int,
    archive_id: int,
    answers: list[dict[str, Any]],
) -> None:
    """Step 3: the permanent register entry, the statuses and the audit entry, together."""
    with transaction(sessions) as session:
        lst = get_list(session, list_id)
        archive = archives.get(session, archive_id)
        item = repository.get_item(session, item_id)
        now = clock.now()
        confirmations = repository.confirmations(session, list_id)
        assert archive.expires_on is not None and lst.decided_by and lst.decided_at
        session.add(
            RegisterEntry(
                archive_id=archive.id,
                archive_no=archive.archive_no,
                case_no=archive.case_no,
                party_name=archive.party_name,
                retention_class=archive.retention_class,
                closed_on=archive.closed_on,
                expires_on=archive.expires_on,
                sha256=archive.sha256,
                list_id=lst.id,
                list_no=lst.list_no,
                proposed_by=lst.proposed_by,
                proposed_at=lst.proposed_at,
                approved_by=lst.decided_by,
                approved_at=lst.decided_at,
                supervisors=[
                    {"name": c.name, "confirmed_at": c.confirmed_at.isoformat()}
                    for c in confirmations
                ],
                executed_at=now,
                store_answer=answers,
                versions_deleted=sum(1 for a in answers if a.get("version_id")),
            )
        )
        archive.status = ArchiveStatus.destroyed
        archives.delete_text(session, archive.id)
        case = cases.get(session, archive.case_id)
        assert case is not None
        case.status = next_status(case.status, CaseAction.destroy)
        for d in documents.list_for_case(session, case.id):
            d.status = DocumentStatus.destroyed
        for m in materials.list_for_case(session, case.id):
            m.status = MaterialStatus.destroyed
        item.destroyed_at = now
        record(
            session,
            actor,
            "archive.destroy",
            "archive",
            archive.archive_no,
            {"list_no": lst.list_no, "sha256": archive.sha256, "store": answers},
        )


def _finish(
    sessions: sessionmaker[Session],
    settings: Settings,
    archive_store: ObjectStore,
    actor: Actor,
    list_id: int,
) -> DestructionList:
    """Render the destruction record, store it under a permanent legal hold, close the list."""
    with transaction(sessions) as session:
        lst = get_list(session, list_id, for_update=True)
        if lst.status == ListStatus.executed:
            return lst
        rows = repository.items(session, lst.id)
        entries = {
            e.archive_id: e for _, a in rows if (e := repository.register_entry_for(session, a.id))
        }
        confirmations = repository.confirmations(session, lst.id)
        now = clock.now()
        assert lst.decided_by and lst.decided_at
        pdf = render_destruction_record(
            DestructionRecord(
                agency_name=settings.agency_name,
                record_no=lst.list_no,
                list_title=lst.title,
                appraisal=lst.appraisal,
                proposed_by=Signature("经办人（档案员）", lst.proposed_by, lst.proposed_at),
                approved_by=Signature(
                    "审批人（领导小组）", lst.decided_by, lst.decided_at, lst.decision_comment
                ),
                supervisors=[Signature("监销人", c.name, c.confirmed_at) for c in confirmations],
                executed_at=now,
                items=[
                    DestroyedItem(
                        archive_no=a.archive_no,
                        case_no=a.case_no,
                        party=a.party_name,
                        retention_label=settings.retention_classes[a.retention_class].label
                        if a.retention_class in settings.retention_classes
                        else a.retention_class,
                        closed_on=a.closed_on,
                        expires_on=a.expires_on or a.closed_on,
                        sha256=a.sha256,
                        page_count=a.page_count,
                    )
                    for _, a in rows
                ],
                storage_results=[
                    f"{a.archive_no}: "
                    + "; ".join(
                        str(x.get("answer"))
                        + (f" {x.get('version_id')}" if x.get("version_id") else "")
                        for x in entries[a.id].store_answer
                    )
                    for _, a in rows
                    if a.id in entries
                ],
            )
        )
        key = f"destruction-records/{now.astimezone(clock.LOCAL_TZ).year}/{lst.list_no}.pdf"
        stored = archive_store.put(
            key,
            pdf,
            content_type="application/pdf",
            metadata={"list-no": lst.list_no},
            legal_hold=True,
        )
        lst.status = ListStatus.executed
        lst.executed_at = now
        lst.record_key, lst.record_version = key, stored.version_id
        lst.record_sha256 = hashlib.sha256(pdf).hexdigest()
        record(
            session,
            actor,
            "destruction.record",
            "destruction_list",
            lst.id,
            {"record_key": key, "sha256": lst.record_sha256},
        )
        return lst
