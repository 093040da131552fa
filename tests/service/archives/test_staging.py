"""A build that stored its dossier and died before recording it is finished from the stored
version by the next run: one locked version in the store, never two."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.archives import service as archiving
from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.db import reading
from service.runtime import Runtime

ARCHIVIST = Actor(Principal("user", 1, "archivist-x", Role.archivist))


def _archive(runtime: Runtime, case_id: int) -> tuple[Any, bool]:
    return archiving.archive_case(
        runtime.sessions,
        runtime.settings,
        runtime.documents,
        runtime.archive,
        runtime.converter,
        ARCHIVIST,
        case_id,
        claimant="job:1",
    )


class Died(BaseException):
    """The worker's death, right after the upload."""


def test_a_run_killed_after_storing_is_finished_from_the_stored_version(
    client: TestClient, closed_case: Any, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = closed_case()
    real_record = archiving._record

    def die(*args: Any, **kwargs: Any) -> Any:
        raise Died()

    monkeypatch.setattr(archiving, "_record", die)
    with pytest.raises(Died):
        _archive(runtime, case["id"])
    stored = [v for v in runtime.archive.list_versions("dossiers/") if not v.is_delete_marker]
    assert len(stored) == 1

    monkeypatch.setattr(archiving, "_record", real_record)
    archive, created = _archive(runtime, case["id"])
    assert created
    after = [v for v in runtime.archive.list_versions("dossiers/") if not v.is_delete_marker]
    assert [v.version_id for v in after] == [stored[0].version_id]  # no second copy
    assert archive.version_id == stored[0].version_id and archive.versions == 1
    assert archive.integrity["security"]["ok"] and archive.integrity["ok"]
    with reading(runtime.sessions) as s:
        number = archiving.repository.number_of(s, case["id"])
        assert number is not None and number.staged is None and number.claimed_by is None
    from service.archives.checks import verify_archive

    assert verify_archive(runtime.settings, runtime.archive, archive).ok
