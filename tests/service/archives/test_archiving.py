"""Closing and archiving a case: one locked PDF dossier per case, recorded only once stored."""

from __future__ import annotations

import hashlib
import io
import re
import urllib.request
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from archive.dossier import extract_text, inspect_dossier
from archive.objects import ObjectLocked
from service import clock
from service.runtime import Runtime

YEAR = 2026  # the year the sample timeline closes its cases


def test_a_complete_case_becomes_one_locked_dossier(
    client: TestClient, clerk, archivist, closed_case, runtime: Runtime
) -> None:
    case = closed_case()
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["archive_no"] == f"Z001-ZF-{YEAR}-D5-0001"  # 全宗号-门类-年度-保管期限-件号
    assert a["case_no"] == case["case_no"] and a["retention_class"] == "D5"
    assert a["expires_on"] == date(YEAR + 6, 1, 1).isoformat()
    assert client.get(f"/api/v1/cases/{case['id']}", headers=clerk).json()["status"] == "archived"

    detail = client.get(f"/api/v1/archives/{a['archive_no']}", headers=archivist).json()
    # in time order, by 成文日期: the review (09-07) before the approval (09-08)
    assert [d["template"] for d in detail["documents"]] == [
        "01",
        "03",
        "02",
        "04",
        "05",
        "07",
        "08",
        "09",
        "10",
        "11",
    ]
    assert detail["documents"][0]["page_numbers"][0] == 1  # 页号 counts from the documents
    assert detail["integrity"]["ok"], detail["integrity"]
    assert set(detail["integrity"]) >= {"authenticity", "integrity", "usability", "security"}

    f = client.get(f"/api/v1/archives/{a['archive_no']}/file", headers=archivist)
    assert f.status_code == 200 and f.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(f.content).hexdigest() == a["sha256"]
    inspection = inspect_dossier(f.content)
    assert inspection.ok, inspection.findings
    assert len(inspection.outline) >= 9
    assert len(PdfReader(io.BytesIO(f.content)).pages) == a["page_count"]
    # the cover and the 卷内备考表 name the case's cause and whoever archived it
    pages = [re.sub(r"\s+", "", page) for page in extract_text(f.content).split("\f")]
    archivist_name = client.get("/api/v1/me", headers=archivist).json()["name"]
    assert "后厨卫生不达标" in pages[0] and archivist_name in pages[0]
    assert f"本卷共10件{a['page_count'] - 3}页" in pages[-2]
    assert f"立卷人：{archivist_name}" in pages[-2]

    # every document now verifies as archived, with its 档号; the dossier's own QR verifies
    docs = client.get(f"/api/v1/cases/{case['id']}/documents", headers=clerk).json()
    for d in docs:
        v = client.get(f"/api/v1/verify/{d['verify_url'].rsplit('/', 1)[1]}").json()
        assert (v["status"], v["archive_no"]) == ("archived", a["archive_no"])
    v = client.get(f"/api/v1/verify/{a['verify_url'].rsplit('/', 1)[1]}").json()
    assert (v["template"], v["sha256"]) == ("dossier", a["sha256"])

    # COMPLIANCE retention: the store itself refuses a direct delete of the version
    stored = runtime.archive.stat(f"dossiers/{YEAR}/{a['archive_no']}.pdf")
    with pytest.raises(ObjectLocked):
        runtime.archive.delete_version(stored.key, stored.version_id or "")


def test_an_incomplete_case_file_is_refused_with_what_is_missing(
    client: TestClient, archivist, closed_case
) -> None:
    # closed as "other" after the interview: no rectification notice, no ledger
    case = closed_case(["01", "02", "03", "04", "05", "07"], "other")
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "dossier_incomplete"
    assert [m["template"] for m in body["detail"]["missing"]] == ["08", "09"]
    assert body["detail"]["missing"][0]["name"] == "整改通知书"


def test_a_case_file_without_its_tracking_ledger_is_refused(
    client: TestClient, archivist, closed_case
) -> None:
    case = closed_case(["01", "02", "03", "04", "05", "07", "08", "10", "11"])
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 409
    assert [m["template"] for m in r.json()["detail"]["missing"]] == ["09"]


def test_an_open_case_cannot_be_archived(client: TestClient, clerk, archivist) -> None:
    case = client.post(
        "/api/v1/cases",
        headers=clerk,
        json={"party": {"name": "甲", "kind": "other"}, "cause": "未结案"},
    ).json()
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 409 and r.json()["error"] == "illegal_transition"


def test_a_livelihood_case_is_kept_permanently_under_legal_hold(
    client: TestClient, archivist, closed_case, runtime: Runtime
) -> None:
    a = client.post(
        f"/api/v1/cases/{closed_case(livelihood=True)['id']}/archive", headers=archivist
    ).json()
    assert a["retention_class"] == "Y" and a["expires_on"] is None
    key = f"dossiers/{YEAR}/{a['archive_no']}.pdf"
    assert runtime.archive.get_legal_hold(key)
    with pytest.raises(ObjectLocked):
        runtime.archive.delete_version(key, runtime.archive.stat(key).version_id or "")


def test_a_major_case_is_kept_ten_years(client: TestClient, archivist, closed_case) -> None:
    a = client.post(
        f"/api/v1/cases/{closed_case(major=True)['id']}/archive", headers=archivist
    ).json()
    assert a["archive_no"].endswith("-D10-0001")
    assert a["expires_on"] == date(YEAR + 11, 1, 1).isoformat()


def test_a_supplement_archives_a_new_version_and_keeps_the_old(
    client: TestClient, clerk, archivist, closed_case, runtime: Runtime
) -> None:
    from doc_templates.samples import sample_data

    case = closed_case()
    first = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist).json()
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "05", "data": sample_data("05")},
    )
    assert r.status_code == 201
    second = client.post(
        f"/api/v1/cases/{case['id']}/archive", headers=archivist, json={"reason": "补充送达回证"}
    )
    assert second.status_code == 201, second.text
    s = second.json()
    assert s["archive_no"] == first["archive_no"] and s["versions"] == 2
    assert s["sha256"] != first["sha256"]
    detail = client.get(f"/api/v1/archives/{s['archive_no']}", headers=archivist).json()
    assert [h["reason"] for h in detail["history"]] == [None, "补充送达回证"]
    old = detail["history"][0]
    key = f"dossiers/{YEAR}/{s['archive_no']}.pdf"
    assert (
        hashlib.sha256(runtime.archive.get(key, old["version_id"])).hexdigest() == first["sha256"]
    )


def test_archiving_an_unchanged_case_again_writes_nothing(
    client: TestClient, archivist, closed_case, runtime: Runtime
) -> None:
    case = closed_case()
    first = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert first.status_code == 201
    again = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert again.status_code == 200, again.text
    assert again.json()["versions"] == 1 and again.json()["sha256"] == first.json()["sha256"]
    key = f"dossiers/{YEAR}/{first.json()['archive_no']}.pdf"
    assert len([v for v in runtime.archive.list_versions(key) if v.key == key]) == 1


def test_a_request_while_another_archives_the_case_is_refused_until_its_lease_ends(
    client: TestClient, clerk, archivist, closed_case, runtime: Runtime
) -> None:
    from datetime import timedelta

    from doc_templates.samples import sample_data
    from service.archives.models import ArchiveNumber
    from service.db import transaction

    case = closed_case()
    first = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist).json()
    supplement = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "05", "data": sample_data("05")},
    )
    assert supplement.status_code == 201

    def claim(at: object) -> None:
        with transaction(runtime.sessions) as s:
            number = s.get_one(ArchiveNumber, case["id"])
            assert number.archive_no == first["archive_no"]
            number.claimed_at, number.claimed_by = at, "user:other-archivist"

    claim(clock.now())
    busy = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert busy.status_code == 409 and busy.json()["error"] == "archiving_in_progress"
    claim(clock.now() - timedelta(minutes=16))  # that process died long ago
    done = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert done.status_code == 201 and done.json()["versions"] == 2


def test_an_archivist_extends_retention_with_a_reason_but_cannot_shorten_it(
    client: TestClient, archivist, closed_case, runtime: Runtime
) -> None:
    a = client.post(f"/api/v1/cases/{closed_case()['id']}/archive", headers=archivist).json()
    r = client.post(
        f"/api/v1/archives/{a['archive_no']}/retention",
        headers=archivist,
        json={"class": "D10", "reason": "涉及后续行政诉讼，延长保管"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["retention_class"] == "D10"
    assert r.json()["retention_reason"] == "涉及后续行政诉讼，延长保管"
    retention = runtime.archive.get_retention(f"dossiers/{YEAR}/{a['archive_no']}.pdf")
    assert retention is not None
    assert retention.retain_until.astimezone(clock.LOCAL_TZ).date() == date(YEAR + 11, 1, 1)
    back = client.post(
        f"/api/v1/archives/{a['archive_no']}/retention",
        headers=archivist,
        json={"class": "D5", "reason": "误操作"},
    )
    assert back.status_code == 409 and back.json()["error"] == "retention_cannot_shorten"
    unknown = client.post(
        f"/api/v1/archives/{a['archive_no']}/retention",
        headers=archivist,
        json={"class": "X1", "reason": "测试"},
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "class"


def test_every_read_of_a_dossier_is_recorded_and_presigned_urls_work(
    client: TestClient, archivist, closed_case, user_headers
) -> None:
    from service.auth.models import Role

    a = client.post(f"/api/v1/cases/{closed_case()['id']}/archive", headers=archivist).json()
    p = client.get(
        f"/api/v1/archives/{a['archive_no']}/file", headers=archivist, params={"presigned": "true"}
    )
    assert p.status_code == 200
    with urllib.request.urlopen(p.json()["url"], timeout=10) as resp:
        assert hashlib.sha256(resp.read()).hexdigest() == a["sha256"]
    client.get(f"/api/v1/archives/{a['archive_no']}/file", headers=archivist)
    audit = client.get(
        "/api/v1/audit", headers=user_headers(Role.auditor), params={"action": "archive.read"}
    ).json()
    assert audit["total"] == 2
    assert {e["target_id"] for e in audit["items"]} == {a["archive_no"]}
