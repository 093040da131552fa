"""The job engine on both backends: deferral in the caller's transaction, one delivery per
fetch, locks, retries with back-off, terminal failures visible through the API, periodic jobs
deferred once per period, stalled jobs put back, and the PDF made right after issue."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from procrastinate import App
from procrastinate.jobs import Job

from doc_templates.samples import sample_data
from service.db import transaction
from service.jobs import JobContext, PermanentFailure, Retry, defer, job
from service.jobs.registry import REGISTRY, JobSpec, RetryStrategy, spec_of
from service.jobs.sqlite import HANDLERS
from service.jobs.worker import build_app, make_connector
from service.runtime import Runtime
from tests.service.flow import case_body

CALLS: list[tuple[str, int]] = []


@job("tests.flaky", retry=Retry(max_attempts=3, first_wait=0.0))
def flaky(ctx: JobContext, *, fail_times: int) -> dict[str, Any]:
    CALLS.append(("flaky", ctx.attempt))
    if ctx.attempt <= fail_times:
        raise RuntimeError(f"attempt {ctx.attempt} fails")
    return {"attempt": ctx.attempt}


@job("tests.refused")
def refused(ctx: JobContext) -> None:
    CALLS.append(("refused", ctx.attempt))
    raise PermanentFailure("this input can never work")


@pytest.fixture
def app(runtime: Runtime) -> Iterator[App]:
    """A procrastinate app of the runtime, opened."""
    CALLS.clear()
    app = build_app(runtime, make_connector(runtime, 4))
    yield app


def _fetch(app: App, worker_id: int) -> Job | None:
    async def go() -> Job | None:
        async with app.open_async():
            return await app.job_manager.fetch_job(queues=None, worker_id=worker_id)

    return asyncio.run(go())


def _register(app: App) -> int:
    async def go() -> int:
        async with app.open_async():
            return await app.job_manager.register_worker()

    return asyncio.run(go())


def _drain(app: App) -> None:
    """Run a worker until the queue is empty (retries are due at once in these tests)."""

    async def go() -> None:
        async with app.open_async():
            await app.run_worker_async(
                wait=False, install_signal_handlers=False, fetch_job_polling_interval=0.05
            )

    for _ in range(10):  # a retry is scheduled a moment later: run again until none is due
        asyncio.run(go())
        time.sleep(0.05)


def test_every_procrastinate_query_has_a_sqlite_answer() -> None:
    from procrastinate import sql

    assert set(HANDLERS) == {q for name, q in sql.queries.items() if name != "listen_queue"}


def test_a_job_deferred_in_a_rolled_back_transaction_never_exists(
    runtime: Runtime, app: App
) -> None:
    with pytest.raises(RuntimeError), transaction(runtime.sessions) as session:
        defer(session, "tests.flaky", fail_times=0)
        raise RuntimeError("the change failed")
    worker = _register(app)
    assert _fetch(app, worker) is None


def test_a_job_is_fetched_once_and_a_lock_holds_back_its_twin(runtime: Runtime, app: App) -> None:
    with transaction(runtime.sessions) as session:
        first = defer(session, "tests.flaky", lock="case:1", fail_times=0)
        second = defer(session, "tests.flaky", lock="case:1", fail_times=0)
        other = defer(session, "tests.flaky", fail_times=0)
    w1, w2 = _register(app), _register(app)
    got = _fetch(app, w1)
    assert got is not None and got.id == first and got.worker_id == w1
    nxt = _fetch(app, w2)
    assert nxt is not None and nxt.id == other  # the twin waits for the lock
    assert _fetch(app, w2) is None
    assert second > first


def test_a_failing_job_is_retried_with_backoff_then_succeeds(
    runtime: Runtime, app: App, client: TestClient, user_headers: Any
) -> None:
    with transaction(runtime.sessions) as session:
        job_id = defer(session, "tests.flaky", fail_times=2)
    _drain(app)
    assert CALLS == [("flaky", 1), ("flaky", 2), ("flaky", 3)]
    from service.auth.models import Role

    got = client.get(f"/api/v1/jobs/{job_id}", headers=user_headers(Role.clerk)).json()
    assert got["status"] == "succeeded", got
    assert got["attempts"] == 3 and got["max_attempts"] == 3
    assert got["result"] == {"attempt": 3}
    assert got["last_error"]["error"] == "internal_error"
    assert got["last_error"]["detail"].startswith("RuntimeError; see the worker's log")


def test_a_job_failing_every_attempt_ends_failed_with_its_error(
    runtime: Runtime, app: App, client: TestClient, user_headers: Any
) -> None:
    from service.auth.models import Role

    with transaction(runtime.sessions) as session:
        job_id = defer(session, "tests.flaky", fail_times=99)
        permanent = defer(session, "tests.refused")
    _drain(app)
    clerk = user_headers(Role.clerk)
    got = client.get(f"/api/v1/jobs/{job_id}", headers=clerk).json()
    assert got["status"] == "failed" and got["attempts"] == 3
    assert got["last_error"]["detail"].startswith("RuntimeError")
    assert got["finished_at"] is not None
    # a permanent failure is not retried
    got = client.get(f"/api/v1/jobs/{permanent}", headers=clerk).json()
    assert got["status"] == "failed" and got["attempts"] == 1
    assert got["last_error"] == {
        "error": "permanent_failure",
        "detail": "this input can never work",
    }
    assert [c for c in CALLS if c[0] == "refused"] == [("refused", 1)]


def test_an_unknown_job_is_404(client: TestClient, user_headers: Any) -> None:
    from service.auth.models import Role

    r = client.get("/api/v1/jobs/999999", headers=user_headers(Role.clerk))
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_the_retry_strategy_waits_longer_each_time_and_not_for_4xx() -> None:
    from service.errors import Conflict

    strategy = RetryStrategy(Retry(max_attempts=5, first_wait=2, max_wait=10))
    job_ = Job(queue="default", lock=None, queueing_lock=None, task_name="x", attempts=0)
    waits = []
    for attempts in range(4):
        decision = strategy.get_retry_decision(
            exception=RuntimeError(), job=job_.evolve(attempts=attempts)
        )
        assert decision is not None and decision.retry_at is not None
        waits.append(round((decision.retry_at - datetime.now(UTC)).total_seconds()))
    assert waits == [2, 4, 8, 10]
    assert (
        strategy.get_retry_decision(exception=RuntimeError(), job=job_.evolve(attempts=4)) is None
    )
    assert strategy.get_retry_decision(exception=Conflict("no"), job=job_) is None


def test_a_periodic_job_is_deferred_once_per_period_by_any_number_of_workers(
    runtime: Runtime,
) -> None:
    apps = [build_app(runtime, make_connector(runtime, 2)) for _ in range(3)]
    spec = spec_of("archives.fixity_audit")
    task_name = spec.name

    async def defer_from(app: App) -> int | None:
        async with app.open_async():
            jobb = Job(
                queue="default",
                lock=None,
                queueing_lock=None,
                task_name=task_name,
                task_kwargs={"timestamp": 1_700_000_000},
            )
            return await app.job_manager.defer_periodic_job(
                jobb, periodic_id=task_name, defer_timestamp=1_700_000_000
            )

    ids = [asyncio.run(defer_from(a)) for a in apps]
    assert len([i for i in ids if i is not None]) == 1


def test_a_dead_workers_job_goes_back_in_the_queue(runtime: Runtime, app: App) -> None:
    with transaction(runtime.sessions) as session:
        job_id = defer(session, "tests.flaky", fail_times=0)
    dead = _register(app)
    taken = _fetch(app, dead)
    assert taken is not None and taken.id == job_id

    async def stalled(seconds: float) -> list[Job]:
        async with app.open_async():
            return list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds))

    assert asyncio.run(stalled(60)) == []  # its worker beat just now
    time.sleep(1.2)
    found = asyncio.run(stalled(1))
    assert [j.id for j in found] == [job_id]

    async def retry() -> None:
        async with app.open_async():
            await app.job_manager.retry_job(found[0])

    asyncio.run(retry())
    again = _fetch(app, _register(app))
    assert again is not None and again.id == job_id and again.attempts == 1


def test_an_issued_document_gets_its_pdf_from_a_job(
    runtime: Runtime, app: App, client: TestClient, user_headers: Any
) -> None:
    from service.auth.models import Role

    clerk = user_headers(Role.clerk)
    case = client.post(
        "/api/v1/cases",
        headers=clerk,
        json=case_body("某某公司"),
    ).json()
    doc = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    ).json()
    assert doc["pdf_sha256"] is None and doc["links"]["pdf_job"]
    job_url = doc["links"]["pdf_job"]
    assert client.get(job_url, headers=clerk).json()["status"] == "queued"
    _drain(app)
    got = client.get(job_url, headers=clerk).json()
    assert got["status"] == "succeeded" and got["attempts"] == 1
    after = client.get(f"/api/v1/documents/{doc['id']}", headers=clerk).json()
    assert after["pdf_sha256"] == got["result"]["pdf_sha256"]
    # running it again changes nothing (ensure_pdf: made once, then frozen)
    spec: JobSpec = REGISTRY["documents.make_pdf"]
    again = spec.func(
        JobContext(runtime, got["id"], spec.name, 2, spec.retry.max_attempts),
        document_id=doc["id"],
    )
    assert again == got["result"]


def test_without_pdf_on_demand_a_pdf_not_made_yet_is_503_with_retry_after(
    runtime: Runtime, client: TestClient, user_headers: Any
) -> None:
    from service.auth.models import Role

    runtime.settings = runtime.settings.model_copy(update={"pdf_on_demand": False})
    clerk = user_headers(Role.clerk)
    case = client.post(
        "/api/v1/cases",
        headers=clerk,
        json=case_body("某某公司"),
    ).json()
    doc = client.post(
        f"/api/v1/cases/{case['id']}/documents",
        headers=clerk,
        json={"template": "01", "data": sample_data("01")},
    ).json()
    r = client.get(f"/api/v1/documents/{doc['id']}/pdf", headers=clerk)
    assert r.status_code == 503 and r.json()["error"] == "pdf_not_ready"
    assert r.headers["Retry-After"] == "5"
    assert r.json()["detail"]["job"] == doc["links"]["pdf_job"]
    assert runtime.pool is None or runtime.pool.ready  # nothing converted here


def test_a_second_archive_request_joins_the_waiting_job(
    client: TestClient, closed_case: Any, user_headers: Any
) -> None:
    from service.auth.models import Role

    archivist = user_headers(Role.archivist)
    case = closed_case()
    ask = {**archivist, "Prefer": "respond-async"}
    first = client.post(f"/api/v1/cases/{case['id']}/archive", headers=ask)
    assert first.status_code == 202, first.text
    job = first.json()
    assert job["task"] == "archives.archive_case" and job["status"] == "queued"
    assert first.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    second = client.post(f"/api/v1/cases/{case['id']}/archive", headers=ask)
    assert second.status_code == 202 and second.json()["id"] == job["id"]


def test_old_succeeded_jobs_and_their_outcomes_are_pruned(runtime: Runtime, app: App) -> None:
    from service.jobs import repository
    from service.jobs.models import JobOutcome

    with transaction(runtime.sessions) as session:
        job_id = defer(session, "tests.flaky", fail_times=0)
    _drain(app)
    time.sleep(0.05)

    async def prune() -> None:
        async with app.open_async():
            await app.job_manager.delete_old_jobs(nb_hours=0)

    asyncio.run(prune())
    with transaction(runtime.sessions) as session:
        repository.delete_orphan_outcomes(session)
    with runtime.sessions() as session:
        assert repository.get_job(session, job_id) is None
        assert session.get(JobOutcome, job_id) is None
