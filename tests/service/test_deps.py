"""The request's unit of work is committed before the response starts: a 2xx means saved."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.types import Message, Receive, Scope, Send

from doc_templates.samples import sample_data
from service.app import create_app
from service.audit.models import AuditEntry
from service.auth.models import Role
from service.cases.models import Case
from service.db import reading
from service.documents.models import Document
from service.runtime import Runtime


def _probing_client(runtime: Runtime, seen: list[dict[str, Any]]) -> TestClient:
    """A client whose app counts committed rows, from another connection, the moment each
    response starts — before the client could have read a status code."""
    app = create_app(runtime=runtime)

    async def probe(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_probing(message: Message) -> None:
            if message["type"] == "http.response.start":
                with reading(runtime.sessions) as s:
                    seen.append(
                        {
                            "path": scope["path"],
                            "status": message["status"],
                            "cases": s.scalar(select(func.count()).select_from(Case)),
                            "documents": s.scalar(select(func.count()).select_from(Document)),
                            "audit": s.scalar(select(func.max(AuditEntry.seq))),
                        }
                    )
            await send(message)

        await app(scope, receive, send_probing)

    return TestClient(probe)


def test_writes_are_committed_before_the_response_starts(runtime: Runtime, key_headers) -> None:
    headers = key_headers(Role.system)
    seen: list[dict[str, Any]] = []
    with _probing_client(runtime, seen) as client:
        case = client.post(
            "/api/v1/cases",
            headers=headers,
            json={
                "party": {"name": "甲公司", "kind": "enterprise"},
                "cause": "卫生",
                "clue_received_on": "2026-09-01",
            },
        )
        assert case.status_code == 201
        assert seen[-1]["cases"] == 1, seen[-1]
        doc = client.post(
            f"/api/v1/cases/{case.json()['id']}/documents",
            headers=headers,
            json={"template": "01", "data": sample_data("01")},
        )
        assert doc.status_code == 201
        assert seen[-1]["documents"] == 1, seen[-1]
        audit_before = seen[-1]["audit"]
        closed = client.post(
            f"/api/v1/cases/{case.json()['id']}/close", headers=headers, json={"outcome": "other"}
        )
        assert closed.status_code == 200
        assert seen[-1]["audit"] == audit_before + 1, "the close's audit entry was not committed"


def test_a_download_commits_its_audit_entry_before_streaming(runtime: Runtime, key_headers) -> None:
    headers = key_headers(Role.system)
    seen: list[dict[str, Any]] = []
    with _probing_client(runtime, seen) as client:
        case = client.post(
            "/api/v1/cases",
            headers=headers,
            json={
                "party": {"name": "乙公司", "kind": "enterprise"},
                "cause": "卫生",
                "clue_received_on": "2026-09-01",
            },
        ).json()
        doc = client.post(
            f"/api/v1/cases/{case['id']}/documents",
            headers=headers,
            json={"template": "01", "data": sample_data("01")},
        ).json()
        audit_before = seen[-1]["audit"]
        r = client.get(f"/api/v1/documents/{doc['id']}/docx", headers=headers)
        assert r.status_code == 200 and r.content[:2] == b"PK"
        assert seen[-1]["audit"] == audit_before + 1
    with reading(runtime.sessions) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and last.action == "document.download"
