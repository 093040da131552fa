"""A case through its flow, as tests need it: the sample documents issued in order on one
coherent 2026 timeline, each naming the documents it refers to by their real ids."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from doc_templates.samples import sample_data

CLUE_ON = "2026-09-01"
# 成文日期 of the documents whose act is their own making (the others take their act's date).
ISSUED_ON = {"04": "2026-09-09", "06": "2026-09-14", "08": "2026-09-17", "12": "2026-10-19"}
REPORT_ON = "2026-10-13"
CLOSED_ON = "2026-10-20"
PASSED = ["01", "02", "03", "04", "05", "07", "08", "09", "10", "11"]
PENALTY = ["01", "02", "03", "04", "05", "07", "08", "09", "10", "12"]


def case_body(party: str = "中村市某某餐饮管理有限公司", **extra: Any) -> dict[str, Any]:
    """A case whose clue was received on the sample timeline's first day."""
    return {
        "party": {"name": party, "kind": "enterprise"},
        "cause": "后厨卫生不达标",
        "clue_received_on": CLUE_ON,
        **extra,
    }


def flow_data(code: str, ids: dict[str, int], *, failing: bool = False) -> dict[str, Any]:
    """The sample data of ``code`` pointing at this case's own documents."""
    data = sample_data(code)
    if code == "05":
        data["documents"] = [{"document_id": ids["04"], "copies": 1}]
    if code in ("09", "10", "11"):
        data["notice_id"] = ids["08"]
    if code == "12":
        data["record_id"] = ids["07"]
    if code == "10" and failing:
        data["conclusion"] = "验收不合格"
        data["target_met"] = False
        data["checks"][0]["outcome"] = "不符合"
    return data


def issue(
    client: TestClient,
    headers: dict[str, str],
    case_id: int,
    code: str,
    ids: dict[str, int],
    **kw: Any,
) -> dict[str, Any]:
    """Issue ``code`` in the flow (the party's report recorded before a 10)."""
    if code == "10" and "report" not in ids:
        r = client.post(
            f"/api/v1/cases/{case_id}/acts",
            headers=headers,
            json={"kind": "report_received", "on": REPORT_ON},
        )
        assert r.status_code == 201, r.text
        ids["report"] = r.json()["id"]
    body: dict[str, Any] = {"template": code, "data": flow_data(code, ids, **kw)}
    if code in ISSUED_ON:
        body["issued_on"] = ISSUED_ON[code]
    r = client.post(f"/api/v1/cases/{case_id}/documents", headers=headers, json=body)
    assert r.status_code == 201, f"{code}: {r.text}"
    ids[code] = r.json()["id"]
    return dict(r.json())


def run_flow(
    client: TestClient,
    headers: dict[str, str],
    case_id: int,
    codes: list[str],
    *,
    failing: bool = False,
) -> dict[str, int]:
    """Issue ``codes`` in order; the ids of what was issued, by template code."""
    ids: dict[str, int] = {}
    for code in codes:
        issue(client, headers, case_id, code, ids, failing=failing and code == "10")
    return ids
