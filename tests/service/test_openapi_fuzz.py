"""A bounded schemathesis run over the OpenAPI document, as every role: no input yields a 5xx,
every status answered is documented (ST103) and every body matches its schema (ST108).

Document data is generated from each template's own schema (the ``oneOf`` variants of the
issuing bodies), and each template's documented sample is sent too, so valid documents are
issued, not only refused — the run fails if none is. The office it runs against is not
empty: an open case with a document, a closed case archived and past its (test) retention, a
destruction list proposed for it and a hold on it; generated requests aim at those real ids
half the time, so the archivist's, the leader's and the supervisors' routes get past 404. On
SQLite, and on PostgreSQL too when configured.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from archive.retention import RetentionClass
from doc_templates.samples import sample_data
from service.app import create_app
from service.auth.models import Role
from service.config import Settings
from service.runtime import Runtime
from tests.service.flow import CLOSED_ON, PASSED, case_body, run_flow

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Operations that convert to PDF take LibreOffice's time per example; one role is enough.
SLOW = {"POST /api/v1/render", "GET /api/v1/documents/{document_id}/pdf"}
ISSUE = "POST /api/v1/cases/{case_id}/documents"
CREDENTIALS = {"authorization", "x-api-key"}
EXPIRES_SECONDS = 2


# Examples per operation and generation mode: as many requests in all whether one backend
# runs or two, so that the run takes about the same time.
EXAMPLES = 3 if os.environ.get("TEST_DATABASE_URL") else 6


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Ordinary cases expire seconds after archiving, so a destruction list can be made; an
    archive request waits a second for its job (which the fuzzed app never runs), then 202."""
    classes = dict(settings.retention_classes)
    classes["D5"] = RetentionClass(seconds=EXPIRES_SECONDS, label="2秒（测试）")
    return settings.model_copy(update={"retention_classes": classes, "archive_wait_seconds": 1.0})


@dataclass
class Office:
    """Real ids for generated requests to aim at, by path parameter."""

    ids: dict[str, list[Any]]

    def aim(self, case: schemathesis.Case, n: int) -> None:
        """Every other example: each path parameter with a real id of its kind."""
        if n % 2:
            return
        for name in case.path_parameters or {}:
            if self.ids.get(name):
                pool = self.ids[name]
                case.path_parameters[name] = pool[(n // 2) % len(pool)]


def _seed(client: TestClient, runtime: Runtime, user_headers) -> Office:
    """The office's state, made by a copy of the app that runs jobs (archiving is one); the
    fuzzed app does not, so generated requests leave their jobs queued, unseen."""
    clerk, archivist = user_headers(Role.clerk), user_headers(Role.archivist)
    jobs = runtime.settings.model_copy(update={"jobs_in_serve": True})
    with TestClient(create_app(settings=jobs, runtime=runtime)) as c:
        open_case = c.post("/api/v1/cases", headers=clerk, json=case_body("甲公司")).json()
        first = c.post(
            f"/api/v1/cases/{open_case['id']}/documents",
            headers=clerk,
            json={"template": "01", "data": sample_data("01")},
        )
        assert first.status_code == 201, first.text
        closed = c.post("/api/v1/cases", headers=clerk, json=case_body("乙公司")).json()
        docs = run_flow(c, clerk, closed["id"], PASSED)
        r = c.post(
            f"/api/v1/cases/{closed['id']}/close",
            headers=clerk,
            json={"outcome": "passed", "closed_on": CLOSED_ON},
        )
        assert r.status_code == 200, r.text
        archive_no = _archive(c, closed["id"], archivist)
    time.sleep(EXPIRES_SECONDS + 1)
    listed = client.post(
        "/api/v1/destructions",
        headers=archivist,
        json={"archive_nos": [archive_no], "appraisal": "保管期限已满，经鉴定无继续保存价值"},
    )
    assert listed.status_code == 201, listed.text
    hold = client.post(
        f"/api/v1/archives/{archive_no}/holds",
        headers=archivist,
        json={"kind": "complaint", "reason": "收到投诉，需复查"},
    )
    assert hold.status_code == 201, hold.text
    return Office(
        {
            "case_id": [open_case["id"], closed["id"]],
            "document_id": [first.json()["id"], docs["04"], docs["10"]],
            "archive_no": [archive_no],
            "hold_id": [hold.json()["id"]],
            "list_id": [listed.json()["id"]],
            "code": ["01", "06"],
        }
    )


@dataclass
class Tally:
    """What the run saw: failures, statuses by operation, time by operation."""

    failures: list[str]
    answered: Counter[tuple[str, int]]
    spent: Counter[str]


def _fuzz(
    operation: Any,
    strategy: Any,
    aimed: bool,
    role: Role,
    headers: dict[str, str],
    office: Office,
    tally: Tally,
) -> None:
    """``EXAMPLES`` requests drawn from ``strategy`` to one operation as one role."""
    n = iter(range(10**6))

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        if aimed:
            office.aim(case, next(n))
        # the role's own credentials, not generated ones (the policy test tries those)
        own = {k: v for k, v in (case.headers or {}).items() if k.lower() not in CREDENTIALS}
        started = time.monotonic()
        response = case.call(headers={**own, **headers})
        tally.spent[operation.label] += time.monotonic() - started
        tally.answered[(operation.label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # schemathesis reports every check that failed
            tally.failures.append(
                f"{role} {case.method} {case.formatted_path} -> {response.status_code}: "
                f"{str(exc)[:600]}\n{case.as_curl_command()}"
            )

    try:
        run()
    except Unsatisfiable:
        # nothing invalid can be generated for an operation without inputs
        assert not aimed, operation.label


def _archive(c: TestClient, case_id: int, archivist: dict[str, str]) -> str:
    """Archive the case: the 档号, once the job (waited for past the short wait) is done."""
    r = c.post(f"/api/v1/cases/{case_id}/archive", headers=archivist)
    if r.status_code == 201:
        return str(r.json()["archive_no"])
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = c.get(r.headers["Location"], headers=archivist).json()
        if job["status"] == "succeeded":
            return str(job["result"]["archive_no"])
        assert job["status"] not in ("failed", "cancelled", "aborted"), job
        time.sleep(0.5)
    raise AssertionError("the archive job did not finish in 5 minutes")


@pytest.mark.slow
def test_no_generated_request_breaks_the_contract(
    client: TestClient, runtime: Runtime, user_headers, key_headers
) -> None:
    office = _seed(client, runtime, user_headers)
    # every role signed in first: generated sign-ins soon lock the test client's address
    headers_of = {r: key_headers(r) if r == Role.system else user_headers(r) for r in Role}
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    tally = Tally([], Counter(), Counter())
    for role, headers in headers_of.items():
        for operation in operations:
            if operation.label in SLOW and role not in (Role.clerk, Role.legal):
                continue
            strategies = [
                (operation.as_strategy(generation_mode=GenerationMode.POSITIVE), True),
                (operation.as_strategy(generation_mode=GenerationMode.NEGATIVE), False),
            ]
            if operation.label not in SLOW:
                # the documented examples too: each template's sample, which a case accepts
                strategies += [(s, True) for s in operation.get_strategies_from_examples()]
            for strategy, aimed in strategies:
                _fuzz(operation, strategy, aimed, role, headers, office, tally)
    slowest = ", ".join(f"{label} {s:.0f}s" for label, s in tally.spent.most_common(5))
    print(f"slowest operations: {slowest}")
    failures = tally.failures
    assert not failures, f"{len(failures)} failure(s):\n\n" + "\n\n".join(failures[:8])
    # the run reached past the refusals: documents issued, the dossier and the lists found
    assert tally.answered[(ISSUE, 201)] > 0, "no generated document was accepted"
    for label in (
        "GET /api/v1/archives/{archive_no}",
        "GET /api/v1/destructions/{list_id}",
        "POST /api/v1/destructions/{list_id}/decision",
        "POST /api/v1/destructions/{list_id}/confirmations",
    ):
        reached = {status for (op, status) in tally.answered if op == label}
        assert reached - {401, 403, 404, 422}, f"{label} only answered {sorted(reached)}"
