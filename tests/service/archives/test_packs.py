"""Guidance (行政指导) and mediation (行政调解) cases: opened with their pack, numbered with the
pack's word, documents of their own pack only, closed and archived end to end like the twelve."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from fastapi.testclient import TestClient

from archive.dossier import extract_text, inspect_dossier
from doc_templates.samples import sample_data
from tests.service.flow import case_body

YEAR = 2026
CLOSED_ON = "2026-11-20"


def _open(client: TestClient, clerk: dict[str, str], pack: str | None) -> dict[str, Any]:
    body = case_body(**({"pack": pack} if pack else {}))
    r = client.post("/api/v1/cases", headers=clerk, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _issue(
    client: TestClient,
    clerk: dict[str, str],
    case_id: int,
    code: str,
    data: dict[str, Any],
    issued_on: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"template": code, "data": data}
    if issued_on:
        body["issued_on"] = issued_on
    r = client.post(f"/api/v1/cases/{case_id}/documents", headers=clerk, json=body)
    assert r.status_code == 201, f"{code}: {r.text}"
    return dict(r.json())


def _archive(
    client: TestClient, clerk: dict[str, str], archivist: dict[str, str], case_id: int, outcome: str
) -> tuple[dict[str, Any], list[str]]:
    """Close the case, archive it, check its 四性 and dossier; the archive and its pages."""
    r = client.post(
        f"/api/v1/cases/{case_id}/close",
        headers=clerk,
        json={"outcome": outcome, "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/cases/{case_id}/archive", headers=archivist)
    assert r.status_code == 201, r.text
    archive = dict(r.json())
    assert client.get(f"/api/v1/cases/{case_id}", headers=clerk).json()["status"] == "archived"
    detail = client.get(f"/api/v1/archives/{archive['archive_no']}", headers=archivist).json()
    assert detail["integrity"]["ok"], detail["integrity"]
    f = client.get(f"/api/v1/archives/{archive['archive_no']}/file", headers=archivist)
    assert f.status_code == 200
    inspection = inspect_dossier(f.content)
    assert inspection.ok, inspection.findings
    pages = [re.sub(r"\s+", "", page) for page in extract_text(f.content).split("\f")]
    archive["documents"] = [d["template"] for d in detail["documents"]]
    return archive, pages


def test_each_pack_numbers_its_cases_in_its_own_sequence(client: TestClient, clerk) -> None:
    numbers = [_open(client, clerk, pack)["case_no"] for pack in (None, "guidance", "mediation")]
    numbers += [_open(client, clerk, pack)["case_no"] for pack in ("guidance", "mediation")]
    assert numbers == [
        f"中村约〔{YEAR}〕1号",
        f"中村导〔{YEAR}〕1号",
        f"中村调〔{YEAR}〕1号",
        f"中村导〔{YEAR}〕2号",
        f"中村调〔{YEAR}〕2号",
    ]


def test_an_unknown_pack_is_refused_naming_the_field(client: TestClient, clerk) -> None:
    r = client.post("/api/v1/cases", headers=clerk, json=case_body(pack="inspection"))
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["detail"]] == ["pack"]


def test_a_guidance_case_takes_only_guidance_templates(client: TestClient, clerk) -> None:
    case = _open(client, clerk, "guidance")
    assert case["pack"] == "guidance"
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "04", "data": sample_data("04")},
    )
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert (problem["field"], problem["type"]) == ("template", "wrong_pack")
    assert "行政指导" in problem["message"]
    # nor a mediation template
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "M01", "data": sample_data("M01")},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "wrong_pack"


def test_a_guidance_case_is_archived_end_to_end(client: TestClient, clerk, archivist) -> None:
    case = _open(client, clerk, "guidance")
    assert case["case_no"] == f"中村导〔{YEAR}〕1号"
    advice = _issue(client, clerk, case["id"], "G01", sample_data("G01"), "2026-10-12")
    assert advice["doc_no"] == f"中村导建〔{YEAR}〕1号"
    visit = _issue(
        client, clerk, case["id"], "G02", sample_data("G02") | {"document_id": advice["id"]}
    )
    assert visit["doc_no"] == f"中村导访〔{YEAR}〕1号"
    assert visit["issued_on"] == "2026-11-10"  # the visit's own date
    acts = client.get(f"/api/v1/cases/{case['id']}/acts", headers=clerk).json()
    assert {"guidance_given", "follow_up_visited"} <= {a["kind"] for a in acts}

    archive, pages = _archive(client, clerk, archivist, case["id"], "other")
    assert archive["case_no"] == case["case_no"]
    assert archive["documents"] == ["G01", "G02"]
    assert "行政指导案件档案" in pages[0] and "指导日期" in pages[0]
    assert "指导日期2026年10月12日" in pages[0]  # the date guidance was given
    # 起止日期: the documents' own dates (成文日期), not the day they were entered
    assert "起止日期2026年10月12日至2026年11月10日" in pages[0]
    assert "行政约谈" not in pages[0] and "约谈日期" not in pages[0]
    # the visit record prints the advice's real 文号 (filled from the reference), not the sample's
    assert any(f"行政指导建议书（{advice['doc_no']}）" in page for page in pages)
    assert not any("某综执" in page for page in pages)


def test_a_guidance_case_file_without_its_visit_record_is_refused(
    client: TestClient, clerk, archivist
) -> None:
    case = _open(client, clerk, "guidance")
    _issue(client, clerk, case["id"], "G01", sample_data("G01"), "2026-10-12")
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "other", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 409
    assert [m["template"] for m in r.json()["detail"]["missing"]] == ["G02"]


def test_a_mediation_case_is_archived_end_to_end(client: TestClient, clerk, archivist) -> None:
    case = _open(client, clerk, "mediation")
    assert case["case_no"] == f"中村调〔{YEAR}〕1号"
    issued = [
        _issue(client, clerk, case["id"], code, sample_data(code)) for code in ("M01", "M02", "M03")
    ]
    assert [d["doc_no"] for d in issued] == [
        f"中村调受〔{YEAR}〕1号",
        f"中村调录〔{YEAR}〕1号",
        f"中村调协〔{YEAR}〕1号",
    ]
    # each document is dated by the act it records
    assert [d["issued_on"] for d in issued] == ["2026-10-09", "2026-10-15", "2026-10-15"]
    acts = client.get(f"/api/v1/cases/{case['id']}/acts", headers=clerk).json()
    assert {"mediation_accepted", "mediation_held", "mediation_agreed"} <= {a["kind"] for a in acts}

    archive, pages = _archive(client, clerk, archivist, case["id"], "passed")
    assert archive["documents"] == ["M01", "M02", "M03"]
    assert "行政调解案件档案" in pages[0] and "调解日期" in pages[0]
    assert "调解日期2026年10月15日" in pages[0]  # the mediation session
    assert "本卷共3件" in pages[-2]


def test_a_mediation_closed_with_an_agreement_must_file_the_agreement(
    client: TestClient, clerk, archivist
) -> None:
    case = _open(client, clerk, "mediation")
    for code in ("M01", "M02"):
        _issue(client, clerk, case["id"], code, sample_data(code))
    r = client.post(
        f"/api/v1/cases/{case['id']}/close",
        headers=clerk,
        json={"outcome": "passed", "closed_on": CLOSED_ON},
    )
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/cases/{case['id']}/archive", headers=archivist)
    assert r.status_code == 409
    assert [m["template"] for m in r.json()["detail"]["missing"]] == ["M03"]


def test_a_guidance_advice_is_served_with_the_shared_proof_of_service(
    client: TestClient, clerk
) -> None:
    case = _open(client, clerk, "guidance")
    advice = _issue(client, clerk, case["id"], "G01", sample_data("G01"), "2026-10-12")
    served = sample_data("05") | {"documents": [{"document_id": advice["id"], "copies": 1}]}
    served["receipt"]["signed_at"] = "2026-10-13T10:00:00"
    proof = _issue(client, clerk, case["id"], "05", served)
    # the 送达回证 of a guidance case carries the case's pack word, in its own sequence
    assert proof["doc_no"] == f"中村导送〔{YEAR}〕1号"
    assert proof["issued_on"] == "2026-10-13"  # the day it was served
    docx = client.get(f"/api/v1/documents/{proof['id']}/docx", headers=clerk).content
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = z.read("word/document.xml").decode()
    assert advice["doc_no"] in body and "行政指导建议书" in body  # filled by the service
    # an interview case's 05 keeps its own sequence and word
    other = _open(client, clerk, None)
    r = client.post(
        f"/api/v1/cases/{other['id']}/documents",
        headers=clerk,
        json={"template": "G02", "data": sample_data("G02")},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["type"] == "wrong_pack"
