"""Statistics latency: a year's statistics over 100,000 cases on PostgreSQL.

Bulk-loads synthetic cases with their acts, steps and documents (COPY, bypassing the ORM) into
a fresh PostgreSQL schema built by the migrations (dropped at the end): clues spread over
2025-01-01 … 2026-10-31, eight sections of six handlers, each case carried a random way along
the flow (a step late now and then, an interview record voided now and then, a 09 on most
closed cases, a satisfaction score on some). Then times ``service.statistics.service.statistics``
for the year 2026 (each run in a fresh session, as a request would be): the first request
counts every month and keeps the past ones (``statistics_months``), later ones read those and
count today live — in a process that has decoded the kept months before, and (``fresh``) in
one that reads and decodes them from the database;
and, as the baseline in the same run, the naive computation: every act, step and document of
the year loaded through the ORM and counted in Python.

    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.office_statistics [--cases 100000] [--runs 40]

(Run as a module: run by path, ``bench/`` comes first on ``sys.path`` and its ``archive.py``
hides the ``archive`` package. Not named ``statistics.py``: that would hide the standard
library's ``statistics`` from the other bench scripts.)

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.db import make_engine
from service.documents.models import Document
from service.migrate import upgrade
from service.process.models import Act, CaseStep
from service.statistics import cache
from service.statistics.repository import Scope
from service.statistics.service import statistics

SEED = 20261130
FIRST_CLUE = date(2025, 1, 1)
LAST_CLUE = date(2026, 10, 31)
YEAR = Scope(date(2026, 1, 1), date(2026, 12, 31))
SECTIONS = [f"第{n}科" for n in "一二三四五六七八"]
FLOW = [  # (step, act that closes it, its limit in days, the document recording that act)
    ("verification", "verification_done", 4, "01"),
    ("legal_review", "legal_review_concluded", 3, "03"),
    ("approval", "approval_signed", 2, "02"),
    ("notice", "notice_issued", 3, "04"),
    ("service", "document_served", 3, "05"),
    ("interview", "interview_held", 7, "07"),
    ("rectification", "report_received", 30, None),
    ("report", "report_received", 27, None),
    ("acceptance", "acceptance_concluded", 7, "10"),
    ("archiving", None, 14, None),
]
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _ids() -> Iterator[int]:
    n = 0
    while True:
        n += 1
        yield n


def generate(count: int, rng: random.Random) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of ``count`` cases: cases, acts, case_steps, documents."""
    span = (LAST_CLUE - FIRST_CLUE).days
    act_id, doc_id = _ids(), _ids()
    out: dict[str, list[tuple[Any, ...]]] = {"cases": [], "acts": [], "steps": [], "docs": []}
    for case_id in range(1, count + 1):
        section = rng.choice(SECTIONS)
        handler = f"{section}承办人{rng.randint(1, 6)}"
        clue = FIRST_CLUE + timedelta(days=rng.randint(0, span))
        reach = rng.choices(range(len(FLOW) + 1), weights=[2, 2, 1, 1, 1, 1, 2, 1, 1, 3, 30])[0]
        day, opened_on = clue, clue
        acts = [("clue_received", clue, {}, None)]
        docs: list[tuple[str, date, datetime | None]] = []
        closed_on = None
        for position, (step, kind, limit, code) in enumerate(FLOW, start=1):
            due = opened_on + timedelta(days=limit)
            if position > reach:
                status = "open" if position == reach + 1 else "pending"
                out["steps"].append(
                    (
                        case_id,
                        step,
                        position,
                        status,
                        opened_on if status == "open" else None,
                        due if status == "open" else None,
                        None,
                        False,
                        False,
                    )
                )
                if status == "pending":
                    opened_on = None  # type: ignore[assignment]
                    break
                continue
            done = day + timedelta(days=rng.choice([1, 1, 2, 2, 3, 4, 6, 9]))
            if step == "archiving":
                done = closed_on + timedelta(days=rng.randint(1, 20))  # type: ignore[operator]
            elif kind == "report_received" and step == "report":
                done = acts[-1][1]
            else:
                if code == "07" and rng.random() < 0.03:
                    acts.append(("interview_held", done, {}, NOW))  # voided record
                detail: dict[str, Any] = {}
                if kind == "acceptance_concluded":
                    detail = {"passed": rng.random() < 0.9}
                if kind == "document_served":
                    detail = {"templates": ["04"]}
                acts.append((kind, done, detail, None))
                if code:
                    docs.append((code, done, None))
            out["steps"].append(
                (case_id, step, position, "done", opened_on, due, done, done > due, False)
            )
            day, opened_on = done, done
            if step == "acceptance":
                closed_on = done + timedelta(days=rng.randint(1, 5))
                acts.append(("case_closed", closed_on, {}, None))
                if rng.random() < 0.9:
                    docs.append(("09", done, None))
        voided_at = NOW - timedelta(days=rng.randint(1, 600)) if rng.random() < 0.02 else None
        if docs and voided_at:
            code, issued, _ = docs[0]
            docs[0] = (code, issued, voided_at)
        outcome = (rng.choice(["passed"] * 8 + ["penalty", "other"])) if closed_on else None
        satisfaction = rng.randint(60, 100) if closed_on and rng.random() < 0.5 else None
        out["cases"].append(
            (
                case_id,
                f"BENCH-{case_id}",
                "BENCH",
                clue.year,
                case_id,
                "closed" if closed_on else "open",
                f"企业{case_id}",
                "enterprise",
                "bench",
                "interview",
                section,
                handler,
                clue,
                False,
                False,
                False,
                outcome,
                NOW if closed_on else None,
                closed_on,
                satisfaction,
                "bench",
                "bench",
                NOW,
                NOW,
            )
        )
        for kind, on, detail, voided in acts:
            out["acts"].append(
                (next(act_id), case_id, kind, on, json.dumps(detail), "bench", NOW, voided)
            )
        for code, issued, voided in docs:
            n = next(doc_id)
            out["docs"].append(
                (
                    n,
                    case_id,
                    code,
                    "bench",
                    f"BENCH-DOC-{n}",
                    issued.year,
                    n,
                    "superseded" if voided else "valid",
                    "{}",
                    issued,
                    NOW,
                    "bench",
                    voided,
                    uuid.uuid4().hex,
                    "0" * 64,
                    1,
                    f"bench/{n}",
                    "bench",
                )
            )
    return out


COLUMNS = {
    "cases": (
        "id", "case_no", "agency_code", "year", "seq", "status", "party_name", "party_kind",
        "cause", "pack", "section", "handler", "clue_received_on", "major", "livelihood",
        "urgent", "outcome", "closed_at", "closed_on", "satisfaction", "client_id",
        "created_by", "created_at", "updated_at",
    ),
    "acts": (
        "id", "case_id", "kind", "occurred_on", "detail", "recorded_by", "recorded_at",
        "voided_at",
    ),
    "case_steps": (
        "case_id", "step", "position", "status", "started_on", "due_on", "done_on", "done_late",
        "provisional",
    ),
    "documents": (
        "id", "case_id", "template_code", "template_version", "doc_no", "year", "seq",
        "status", "data", "issued_on", "issued_at", "issued_by", "voided_at", "verify_id",
        "sha256", "size", "storage_key", "client_id",
    ),
}  # fmt: skip


def load(engine: Engine, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """COPY the rows in, then ANALYZE."""
    tables = {"cases": "cases", "acts": "acts", "case_steps": "steps", "documents": "docs"}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table, key in tables.items():
            columns = COLUMNS[table]
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows[key]:
                    copy.write_row(row)
        for table in tables:
            cur.execute(f"ANALYZE {table}")
        raw.commit()
    finally:
        raw.close()


def naive(session: Session, scope: Scope) -> dict[str, int]:
    """The baseline: every act, step and document of the year through the ORM, counted here."""
    counts: Counter[str] = Counter()
    acts = session.scalars(select(Act).where(Act.occurred_on.between(scope.start, scope.end)))
    for act in acts:
        if act.voided_at is None:
            counts[act.kind.value] += 1
    steps = session.scalars(
        select(CaseStep).where(CaseStep.done_on.between(scope.start, scope.end))
    )
    for step in steps:
        counts["steps_done"] += 1
        counts["steps_late"] += step.done_late
    docs = session.scalars(
        select(Document).where(Document.issued_on.between(scope.start, scope.end))
    )
    counts["documents"] = sum(1 for _ in docs)
    return dict(counts)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(fn: Any) -> float:
    """Milliseconds ``fn()`` takes."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(database_url: str, count: int, runs: int, baseline_runs: int = 3) -> dict[str, Any]:
    """Load, time, and return the figures."""
    admin = sa.create_engine(database_url)
    schema = f"anjuan_bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in database_url else "?"
    engine = make_engine(f"{database_url}{sep}options=-csearch_path%3D{schema}")
    clock.set_clock(lambda: NOW)
    try:
        upgrade(engine)
        started = time.perf_counter()
        rows = generate(count, random.Random(SEED))
        load(engine, rows)
        load_s = time.perf_counter() - started
        print(
            f"loaded {count} cases, {len(rows['acts'])} acts, {len(rows['steps'])} steps, "
            f"{len(rows['docs'])} documents in {load_s:.1f} s"
        )
        sessions = sessionmaker(engine)

        def once() -> Any:
            with sessions() as session:
                return statistics(session, YEAR)

        first = timed(once)
        for _ in range(3):
            once()
        times = [timed(once) for _ in range(runs)]

        def fresh() -> Any:  # as in a process that has decoded no kept month yet
            cache.decoded.clear()
            return once()

        fresh_times = [timed(fresh) for _ in range(max(runs // 4, 5))]
        result = once()
        baseline = []
        for _ in range(baseline_runs):
            with sessions() as session:
                baseline.append(timed(lambda s=session: naive(s, YEAR)))
        return {
            "bench": "statistics",
            "backend": "postgresql",
            "cases": count,
            "cases_opened_in_year": result.totals.cases_opened,
            "acts": len(rows["acts"]),
            "steps": len(rows["steps"]),
            "documents": len(rows["docs"]),
            "period": f"{YEAR.start}..{YEAR.end}",
            "runs": runs,
            "statistics_p50_ms": round(percentile(times, 50), 1),
            "statistics_p95_ms": round(percentile(times, 95), 1),
            "statistics_fresh_process_p95_ms": round(percentile(fresh_times, 95), 1),
            "fresh_process": "kept months read and decoded from the database (another worker "
            "process, or one just started)",
            "statistics_cold_ms": round(first, 1),
            "cold": "the first request after the load: every month counted, past ones kept",
            "target_p95_ms": 300,
            "baseline": "naive: the year's acts, steps and documents through the ORM, "
            f"counted in Python ({baseline_runs} runs)",
            "baseline_p50_ms": round(percentile(baseline, 50), 1),
            "speedup_p50": round(percentile(baseline, 50) / percentile(times, 50), 1),
            "load_s": round(load_s, 1),
        }
    finally:
        clock.set_clock(None)
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    """Parse arguments, run, print the JSON figures last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--baseline-runs", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        raise SystemExit("set TEST_DATABASE_URL to a PostgreSQL database")
    print(json.dumps(run(url, args.cases, args.runs, args.baseline_runs), ensure_ascii=False))


if __name__ == "__main__":
    main()
