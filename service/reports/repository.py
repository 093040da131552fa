"""Queries on the signed quarterly reports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.reports.models import QuarterlyReport


def signed(session: Session, quarter: str) -> QuarterlyReport | None:
    """The signed report of the quarter, if any."""
    return session.scalar(select(QuarterlyReport).where(QuarterlyReport.quarter == quarter))
