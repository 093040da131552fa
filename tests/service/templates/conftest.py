"""Template registry tests run the service's jobs in the app (specimen PDFs, archiving)."""

from __future__ import annotations

import pytest

from service.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, with jobs run inside the app as ``anjuan serve`` does."""
    return settings.model_copy(update={"jobs_in_serve": True})
