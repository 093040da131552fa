"""Which documents a case file must hold: every case its tracking ledger (09)."""

from __future__ import annotations

from archive.completeness import DEFAULT_REQUIREMENTS, missing_templates, required_templates


def test_every_outcome_requires_the_tracking_ledger() -> None:
    for outcome in ("passed", "penalty", "other", None):
        assert "09" in required_templates(DEFAULT_REQUIREMENTS, outcome), outcome


def test_a_file_without_its_ledger_misses_exactly_that() -> None:
    present = ["01", "02", "03", "04", "05", "07", "08", "10", "11"]
    assert missing_templates(DEFAULT_REQUIREMENTS, "passed", present) == ["09"]
