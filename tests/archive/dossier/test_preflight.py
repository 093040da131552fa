"""The dossier passes Apache PDFBox Preflight but for the rules PDF/A-3 relaxed (see
``tests/preflight.py``), with documents only and with materials of every kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from tests.preflight import preflight_errors

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("dossier", ["case", "filed"], ids=["documents", "with-materials"])
def test_preflight_finds_nothing_beyond_the_rules_pdfa3_relaxed(
    dossier: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    prerequisite_missing: Callable[[str], NoReturn],
) -> None:
    pdf = request.getfixturevalue(dossier).dossier.pdf
    assert preflight_errors(pdf, tmp_path, prerequisite_missing) == []
