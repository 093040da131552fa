"""Calendar test helpers: a 2027 schedule to load, and the admin who may load it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from service.auth.models import Role


def days(first: str, last: str) -> list[str]:
    """ISO dates from ``first`` to ``last``, both included."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(n)).isoformat() for n in range((end - start).days + 1)]


@pytest.fixture
def schedule_2027() -> dict[str, Any]:
    """A 2027 schedule in the published form. Not the real one (unknown when this was
    written): a Spring Festival of eight days, 5 to 12 February, with Saturday 13 worked."""
    return {
        "holidays": [
            "2027-01-01",
            *days("2027-02-05", "2027-02-12"),
            *days("2027-10-01", "2027-10-07"),
        ],
        "workdays": ["2027-02-13", "2027-09-26", "2027-10-09"],
        "notice": "国办发明电〔2026〕99号（测试）",
    }


@pytest.fixture
def admin(user_headers) -> dict[str, str]:
    """Bearer header of an admin."""
    return user_headers(Role.admin)
