"""Destroying an archive with materials deletes their files and their audio and video objects."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from archive.retention import RetentionClass
from service import clock
from service.auth.models import Role
from service.config import Settings
from service.runtime import Runtime
from tests import material_files as files

from .test_destruction import _approved_list, _confirm

# Long enough for archiving with a photo page and a video under load (the lock is fixed
# before the dossier is built; a retain-until already past is refused by the store).
SECONDS = 12


@pytest.fixture
def settings(settings: Settings) -> Settings:
    classes = dict(settings.retention_classes)
    classes["D5"] = RetentionClass(seconds=SECONDS, label="12秒（测试）")
    return settings.model_copy(update={"retention_classes": classes})


def test_destruction_deletes_the_materials_files_and_media_versions(
    client: TestClient, archived, login, closed_case, runtime: Runtime
) -> None:
    clerk = login("clerk-m", Role.clerk)
    case = closed_case(party="销毁材料测试有限公司")
    made = []
    for data, kind in ((files.jpeg(), "photo"), (files.mp4(5), "recording")):
        r = client.post(
            f"/api/v1/cases/{case['id']}/materials",
            headers=clerk,
            data={"kind": kind, "title": f"材料{kind}", "date": clock.today().isoformat()},
            files={"file": ("f", data, "application/octet-stream")},
        )
        assert r.status_code == 201, r.text
        made.append(r.json())
    a = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archived.archivist).json()
    detail = client.get(f"/api/v1/archives/{a['archive_no']}", headers=archived.archivist).json()
    media_key = next(m["object_key"] for m in detail["materials"] if m["object_key"])
    assert [v for v in runtime.archive.list_versions(media_key) if v.key == media_key]
    time.sleep(SECONDS + 1)

    list_id, archivist = _approved_list(client, archived, login, [a["archive_no"]])
    _confirm(client, login, list_id, ["sup-1", "sup-2", "sup-3"])
    r = client.post(f"/api/v1/destructions/{list_id}/execute", headers=archivist)
    assert r.status_code == 200, r.text

    assert [v for v in runtime.archive.list_versions(media_key) if v.key == media_key] == []
    assert list(runtime.documents.list("materials/")) == []
    listed = client.get(f"/api/v1/cases/{case['id']}/materials", headers=clerk).json()
    assert {m["status"] for m in listed} == {"destroyed"}
    assert client.get(listed[0]["links"]["file"], headers=clerk).status_code == 404
    [entry] = client.get("/api/v1/destruction-register", headers=archivist).json()
    deleted = {x["key"] for x in entry["store_answer"]}
    assert media_key in deleted
