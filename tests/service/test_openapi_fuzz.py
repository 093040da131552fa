"""A bounded schemathesis run over the OpenAPI spec: no input yields a 500."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

EXAMPLES = 30


@pytest.mark.slow
def test_no_generated_request_yields_a_server_error(
    client: TestClient, clerk: dict[str, str], database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("one backend is enough for fuzzing the HTTP layer")
    # A case to aim at, so that generated ids sometimes hit a real one.
    client.post(
        "/api/v1/cases",
        headers=clerk,
        json={"party": {"name": "甲", "kind": "other"}, "cause": "模糊测试"},
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
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
                response = case.call(headers={**clerk, **(case.headers or {})})
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: "
                        f"{response.text[:300]}\n{case.as_curl_command()}"
                    )

            try:
                run()
            except Unsatisfiable:
                # nothing invalid can be generated for an operation without inputs
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, "\n\n".join(failures[:10])
