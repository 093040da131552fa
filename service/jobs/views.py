"""HTTP routes for jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from service.audit.service import Actor
from service.deps import JobId, ReadSessionDep, authorize
from service.jobs import service
from service.jobs.schemas import JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut)
def get_job(
    job_id: JobId,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("jobs.read"))],
) -> JobOut:
    """A background job (a document's PDF, a batch item, an archiving, a periodic audit):
    its state, attempts, the last attempt's error and, once done, its result."""
    return service.get_job(session, job_id)
