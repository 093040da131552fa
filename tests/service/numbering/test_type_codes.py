"""An office's own 类型代字 may name only some templates; the others keep their spec's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from doc_templates.samples import sample_data
from service.config import Settings
from tests.service.flow import case_body


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Type codes naming the interview notice only."""
    return settings.model_copy(update={"doc_type_codes": {"04": "谈通"}})


def test_a_template_the_office_codes_do_not_name_keeps_its_own(client: TestClient, clerk) -> None:
    case = client.post("/api/v1/cases", headers=clerk, json=case_body(pack="guidance")).json()
    r = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "G01", "data": sample_data("G01"), "issued_on": "2026-10-12"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["doc_no"] == "中村导建〔2026〕1号"
