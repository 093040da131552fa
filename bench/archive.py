# ruff: noqa: E402  (imports follow the sys.path fix below)
"""Benchmark: archiving cases of 11 documents (the passing flow, 01–11), and archive search
at 10k and 100k.

Runs the real thing in-process: a temporary SQLite database built by the migrations, the
embedded SeaweedFS S3 server, the warm LibreOffice pool (2 workers). Two figures per case:
- ``case``: issue the 11 documents (render), make their PDFs, assemble, upload and index —
  the dossier when the PDFs must still be made (target ≤ 3 s);
- ``case_prebuilt``: archiving when every document's PDF already exists (target ≤ 0.5 s);
- ``at_issue``: as the service runs now, each issued document's PDF made right after issue
  by the job engine (a worker in this process, as ``anjuan serve`` runs it by default):
  the time from issue to PDF ready (p50, p95), then archiving the 11-document case whose
  PDFs were made at issue (target p50 ≤ 0.3 s).
Search figures come from ``bench/archive_search.py`` (SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set).

Run: ``.venv/bin/python bench/archive.py [--cases 50] [--prebuilt 20] [--at-issue 10]
[--no-search]``;
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Python puts this script's folder first on sys.path, where this file would shadow the
# ``archive`` package; drop it (the search benchmark is loaded by path below).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(HERE.parent))  # the project: ``bench.case_flow``, ``tests.service.flow``

from bench.case_flow import fill_case
from service.archives.service import archive_case
from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.config import Settings
from service.db import make_engine, transaction
from service.documents.pdf import ensure_pdf
from service.migrate import upgrade
from service.runtime import Runtime

CLERK = Actor(Principal("user", 1, "bench-clerk", Role.clerk))
ARCHIVIST = Actor(Principal("user", 2, "bench-archivist", Role.archivist))


def _p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _new_case(rt: Runtime, i: int) -> tuple[int, float]:
    """Open, fill with the flow's 11 documents and close a case; returns its id and render
    seconds."""
    t0 = time.perf_counter()
    with transaction(rt.sessions) as s:
        case = fill_case(s, rt, CLERK, f"中村市第{i}号餐饮管理有限公司", major=i % 3 == 0)
        case_id = case.id
    return case_id, time.perf_counter() - t0


def _archive(rt: Runtime, case_id: int, timings: dict[str, float] | None = None) -> None:
    archive_case(
        rt.sessions,
        rt.settings,
        rt.documents,
        rt.archive,
        rt.converter,
        ARCHIVIST,
        case_id,
        timings=timings,
    )


def run_archive(rt: Runtime, cases: int, prebuilt: int) -> dict[str, float]:
    """Archive ``cases`` fresh cases and ``prebuilt`` ones whose PDFs exist; return figures."""
    totals, stages = [], {k: [] for k in ("render", "pdf", "read", "merge", "upload", "index")}
    for i in range(cases):
        case_id, render_s = _new_case(rt, i)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        _archive(rt, case_id, timings)
        totals.append(render_s + time.perf_counter() - t0)
        stages["render"].append(render_s)
        for k, v in timings.items():
            stages[k].append(v)
    pre = []
    for i in range(prebuilt):
        case_id, _ = _new_case(rt, cases + i)
        with rt.sessions() as s:
            from service.documents.repository import list_for_case

            ids = [d.id for d in list_for_case(s, case_id)]
        for doc_id in ids:
            ensure_pdf(rt.sessions, rt.documents, rt.converter, doc_id)
        t0 = time.perf_counter()
        _archive(rt, case_id)
        pre.append(time.perf_counter() - t0)
    out = {
        "cases": cases,
        "prebuilt_cases": prebuilt,
        "case_p50_s": round(statistics.median(totals), 3),
        "case_p95_s": round(_p(totals, 95), 3),
        "case_prebuilt_p50_s": round(statistics.median(pre), 3) if pre else None,
        "case_prebuilt_p95_s": round(_p(pre, 95), 3) if pre else None,
    }
    for k, v in stages.items():
        if v:
            out[f"stage_{k}_p50_s"] = round(statistics.median(v), 3)
    return out  # type: ignore[return-value]


def run_at_issue(rt: Runtime, cases: int, offset: int) -> dict[str, float | None]:
    """Cases whose PDFs the job engine makes at issue: issue → PDF ready, then archiving."""
    from service.documents.repository import list_for_case
    from service.jobs import repository as jobs
    from service.jobs.worker import BackgroundWorker

    worker = BackgroundWorker(rt, name="bench")
    worker.start()
    ready: list[float] = []
    archiving: list[float] = []
    try:
        for i in range(cases):
            case_id, _ = _new_case(rt, offset + i)
            deadline = time.monotonic() + 120
            while True:
                with rt.sessions() as s:
                    docs = list_for_case(s, case_id)
                    found = [jobs.get_job(s, d.pdf_job_id or 0) for d in docs]
                    if all(j is not None and j.status == "succeeded" for j in found):
                        for d, j in zip(docs, found, strict=True):
                            assert j is not None and d.pdf_sha256
                            ready.append((j.events["succeeded"] - d.issued_at).total_seconds())
                        break
                if time.monotonic() > deadline:
                    raise SystemExit("PDF jobs did not finish within 120 s")
                time.sleep(0.02)
            t0 = time.perf_counter()
            _archive(rt, case_id)
            archiving.append(time.perf_counter() - t0)
    finally:
        worker.stop()
    return {
        "at_issue_cases": cases,
        "at_issue_archive_p50_s": round(statistics.median(archiving), 3) if archiving else None,
        "at_issue_archive_p95_s": round(_p(archiving, 95), 3) if archiving else None,
        "issue_to_pdf_ready_p50_s": round(statistics.median(ready), 3) if ready else None,
        "issue_to_pdf_ready_p95_s": round(_p(ready, 95), 3) if ready else None,
    }


def main() -> None:
    """Run the archive benchmark (and the search benchmark) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--prebuilt", type=int, default=20)
    parser.add_argument("--at-issue", type=int, default=10)
    parser.add_argument("--no-search", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="anjuan-bench-") as tmp:
        settings = Settings(
            env="test",
            data_dir=Path(tmp),
            pdf_workers=2,
            job_concurrency=2,
            job_poll_seconds=0.05,
            secret_key="bench-" + "x" * 40,
        )  # type: ignore[arg-type]
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        engine.dispose()
        rt = Runtime.start(settings)
        try:
            rt.converter()  # warm LibreOffice before timing
            result: dict[str, Any] = dict(run_archive(rt, args.cases, args.prebuilt))
            if args.at_issue:
                result.update(run_at_issue(rt, args.at_issue, args.cases + args.prebuilt))
        finally:
            rt.close()
    print(
        f"archive: case p50 {result['case_p50_s']} s, p95 {result['case_p95_s']} s "
        f"(target ≤ 3 s); prebuilt PDFs p50 {result['case_prebuilt_p50_s']} s "
        f"(target ≤ 0.5 s); PDFs made at issue: archiving p50 "
        f"{result.get('at_issue_archive_p50_s')} s (target ≤ 0.3 s), issue → PDF ready p50 "
        f"{result.get('issue_to_pdf_ready_p50_s')} s, "
        f"p95 {result.get('issue_to_pdf_ready_p95_s')} s"
    )
    print(
        "stages p50: "
        + ", ".join(f"{k[6:-6]} {v} s" for k, v in result.items() if k.startswith("stage_"))
    )
    if not args.no_search:
        spec = importlib.util.spec_from_file_location("archive_search", HERE / "archive_search.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        search = module.run(database_url=os.environ.get("TEST_DATABASE_URL"))
        result.update({k: v for k, v in search.items() if k.startswith("search_")})
        result["search"] = search
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
