"""Two legal officers activating different versions of one template at the same moment leave
exactly one active version, each activation audited with the version it replaced."""

from __future__ import annotations

import threading
from itertools import pairwise

from fastapi.testclient import TestClient
from sqlalchemy import select

from service.audit.models import AuditEntry
from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.db import make_engine, make_sessionmaker, transaction
from service.runtime import Runtime
from service.templates import repository
from service.templates.service import activate
from tests.service.templates import word_edits as word

SENTENCE = "受送达人收到上列文书后，请在下方签名并写明签收时间。"
WORDINGS = ["请在下方签名并写明签收时间。", "请受送达人签名并写明签收时间。"]
ROUNDS = 6


def test_racing_activations_leave_one_active_version(
    client: TestClient, runtime: Runtime, user_headers, database_url: str
) -> None:
    legal = user_headers(Role.legal)
    versions = []
    for wording in WORDINGS:
        docx = word.reword(word.builtin("05"), SENTENCE, wording)
        r = client.post(
            "/api/v1/templates/05/versions",
            headers=legal,
            files={"file": ("05.docx", docx, "application/octet-stream")},
        )
        assert r.status_code == 201, r.text
        versions.append(r.json()["version"])

    engines = [make_engine(database_url) for _ in versions]
    barrier = threading.Barrier(len(versions))
    errors: list[BaseException] = []

    def officer(i: int) -> None:
        sessions = make_sessionmaker(engines[i])
        actor = Actor(Principal("user", 100 + i, f"legal{i}", Role.legal))
        try:
            for _ in range(ROUNDS):
                barrier.wait(60)
                with transaction(sessions) as s:
                    activate(s, actor, "05", versions[i])
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(len(versions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for e in engines:
        e.dispose()
    assert not errors, errors

    with transaction(runtime.sessions) as s:
        rows = repository.versions(s, "05")
        active = [r.version for r in rows if r.status == "active"]
        audited = s.scalars(
            select(AuditEntry.detail)
            .where(AuditEntry.action == "template.activate")
            .order_by(AuditEntry.seq)
        ).all()
    assert len(active) == 1 and active[0] in versions
    # the activations form one history: each replaced the version the one before it made
    # active (two that raced would both name the same predecessor)
    for before, after in pairwise(audited):
        assert after["previous"] == before["version"]
    assert audited[-1]["version"] == active[0] and len(audited) > 2
