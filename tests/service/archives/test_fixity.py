"""The nightly fixity audit: a share of the archived dossiers re-read and re-hashed, those
checked longest ago first, every check and finding in the archive's 四性 history."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.archives.models import Archive
from service.jobs.registry import REGISTRY, JobContext
from service.runtime import Runtime


def _audit(runtime: Runtime, share: float) -> dict[str, Any]:
    spec = REGISTRY["archives.fixity_audit"]
    rt = Runtime(
        **{
            **runtime.__dict__,
            "settings": runtime.settings.model_copy(update={"fixity_share": share}),
        }
    )
    result = spec.func(JobContext(rt, 1, spec.name, 1, 3), timestamp=0)
    assert result is not None
    return result


def test_the_fixity_audit_rechecks_a_share_and_records_findings_in_the_history(
    client: TestClient, archivist: dict[str, str], closed_case: Any, runtime: Runtime
) -> None:
    nos = []
    for party in ("甲有限公司", "乙有限公司"):
        case = closed_case(party=party)
        r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
        assert r.status_code == 201, r.text
        nos.append(r.json()["archive_no"])

    first = _audit(runtime, 0.5)  # one of two, never checked before
    assert first["checked"] == 1 and first["with_findings"] == []
    second = _audit(runtime, 0.5)  # the other one: the least recently checked goes first
    assert second["checked"] == 1
    histories = [
        client.get(f"/api/v1/archives/{n}", headers=archivist).json()["checks"] for n in nos
    ]
    assert [len(h) for h in histories] == [1, 1]
    assert histories[0][0]["kind"] == "fixity_audit" and histories[0][0]["ok"] is True

    with runtime.engine.begin() as conn:  # the record no longer matches the stored bytes
        conn.execute(sa.update(Archive).where(Archive.archive_no == nos[0]).values(sha256="0" * 64))
    third = _audit(runtime, 1.0)
    assert third["checked"] == 2 and third["with_findings"] == [nos[0]]
    checks = client.get(f"/api/v1/archives/{nos[0]}", headers=archivist).json()["checks"]
    assert len(checks) == 2 and checks[0]["ok"] is False
    assert {f["code"] for f in checks[0]["findings"]} == {"dossier_hash_mismatch"}
