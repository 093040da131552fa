"""A bounded schemathesis run over the OpenAPI document, as every role: no input yields a 5xx,
every status answered is documented (ST103) and every body matches its schema (ST108).

Document data is generated from each template's own schema (the ``oneOf`` variants of the
issuing bodies), so valid documents are issued too, not only refused.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from doc_templates.samples import sample_data
from service.auth.models import Role

EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Operations that convert to PDF take LibreOffice's time per example; one role is enough.
SLOW = {"POST /api/v1/render", "GET /api/v1/documents/{document_id}/pdf"}


@pytest.mark.slow
@pytest.mark.parametrize("role", list(Role))
def test_no_generated_request_breaks_the_contract(
    client: TestClient, user_headers, key_headers, database_url: str, role: Role
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for fuzzing the HTTP layer")
    headers = key_headers(role) if role == Role.system else user_headers(role)
    # A case with a document to aim at, so that generated ids sometimes hit real ones.
    clerk = user_headers(Role.clerk)
    case = client.post(
        "/api/v1/cases",
        headers=clerk,
        json={
            "party": {"name": "甲", "kind": "other"},
            "cause": "模糊测试",
            "clue_received_on": "2026-09-01",
        },
    ).json()
    client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SLOW and role not in (Role.clerk, Role.legal):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                response = case.call(headers={**headers, **(case.headers or {})})
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as exc:  # schemathesis reports every check that failed
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: "
                        f"{str(exc)[:600]}\n{case.as_curl_command()}"
                    )

            try:
                run()
            except Unsatisfiable:
                # nothing invalid can be generated for an operation without inputs
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, f"{len(failures)} failure(s):\n\n" + "\n\n".join(failures[:8])
