"""Reading jobs for the API, and waiting for one."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session, sessionmaker

from service.db import reading
from service.errors import DomainError, NotFound
from service.jobs import repository
from service.jobs.registry import REGISTRY
from service.jobs.schemas import JobError, JobOut, JobState

TERMINAL = {JobState.succeeded, JobState.failed, JobState.cancelled}
_STATES = {
    "doing": JobState.running,
    "succeeded": JobState.succeeded,
    "failed": JobState.failed,
    "cancelled": JobState.cancelled,
    "aborted": JobState.failed,
    "aborting": JobState.running,
}


def job_out(row: repository.JobRow) -> JobOut:
    """The API view of a job."""
    if row.status == "todo":
        state = JobState.retrying if row.attempts else JobState.queued
    else:
        state = _STATES.get(row.status, JobState.failed)
    outcome = row.outcome
    spec = REGISTRY.get(row.task_name)
    ev = row.events
    finished = ev.get("succeeded") or ev.get("failed") or ev.get("cancelled") or ev.get("aborted")
    return JobOut(
        id=row.id,
        task=row.task_name,
        status=state,
        attempts=row.attempts,
        max_attempts=spec.retry.max_attempts if spec else None,
        last_error=JobError.model_validate(outcome.last_error)
        if outcome and outcome.last_error
        else None,
        result=outcome.result if outcome and state == JobState.succeeded else None,
        created_at=ev.get("deferred"),
        started_at=ev.get("started"),
        finished_at=finished if state in TERMINAL else None,
        next_attempt_at=row.scheduled_at if row.status == "todo" else None,
    )


def get_job(session: Session, job_id: int) -> JobOut:
    """A job, or 404."""
    row = repository.get_job(session, job_id)
    if row is None:
        raise NotFound(f"job {job_id} not found")
    return job_out(row)


def wait_for(
    sessions: sessionmaker[Session], job_id: int, seconds: float, poll: float = 0.05
) -> JobOut:
    """The job once it has ended, or as it stands after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        with reading(sessions) as session:
            job = get_job(session, job_id)
        if job.status in TERMINAL or time.monotonic() >= deadline:
            return job
        time.sleep(min(poll, max(0.0, deadline - time.monotonic())))
        poll = min(poll * 1.5, 0.5)


# The status each error code a job may end with is answered with, when a request waited for
# the job (the codes are the error contract's; an unknown one is a 500).
ERROR_STATUS = {
    "dossier_incomplete": 409,
    "archiving_in_progress": 409,
    "conflict": 409,
    "not_found": 404,
    "validation_error": 422,
    "service_unavailable": 503,
    "pdf_conversion_failed": 502,
}


class JobFailed(DomainError):
    """A job the request waited for failed: its error, as the job recorded it."""

    status_code = 500
    code = "internal_error"

    def __init__(self, job: JobOut) -> None:
        error = job.last_error or JobError(error="internal_error", detail="the job failed")
        self.code = error.error
        self.status_code = ERROR_STATUS.get(error.error, 500)
        super().__init__(error.detail)
