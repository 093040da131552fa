# ruff: noqa: E402  (imports follow the sys.path fix below)
"""Benchmark: archiving cases of 12 documents, and archive search at 10k and 100k.

Runs the real thing in-process: a temporary SQLite database built by the migrations, the
embedded SeaweedFS S3 server, the warm LibreOffice pool (2 workers). Two figures per case:
- ``case``: issue 12 documents (render), make their PDFs, assemble, upload and index —
  the dossier when the PDFs must still be made (target ≤ 3 s);
- ``case_prebuilt``: archiving when every document's PDF already exists (target ≤ 0.5 s).
Search figures come from ``bench/archive_search.py`` (SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set).

Run: ``.venv/bin/python bench/archive.py [--cases 50] [--prebuilt 20] [--no-search]``;
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

# Python puts this script's folder first on sys.path, where this file would shadow the
# ``archive`` package; drop it (the search benchmark is loaded by path below).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from doc_templates.samples import sample_data
from service.archives.service import archive_case
from service.audit.service import Actor
from service.auth.models import Role
from service.auth.security import Principal
from service.cases.models import CaseOutcome
from service.cases.schemas import CaseCreate, PartyIn
from service.cases.service import close_case, create_case
from service.config import Settings
from service.db import make_engine, transaction
from service.documents.pdf import ensure_pdf
from service.documents.schemas import DocumentIssue
from service.documents.service import issue_document
from service.migrate import upgrade
from service.runtime import Runtime

CODES = [f"{n:02d}" for n in range(1, 13)]
CLERK = Actor(Principal("user", 1, "bench-clerk", Role.clerk))
ARCHIVIST = Actor(Principal("user", 2, "bench-archivist", Role.archivist))


def _p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _new_case(rt: Runtime, i: int) -> tuple[int, float]:
    """Open, fill with 12 documents and close a case; returns its id and render seconds."""
    t0 = time.perf_counter()
    with transaction(rt.sessions) as s:
        case, _ = create_case(
            s,
            rt.settings,
            CLERK,
            CaseCreate(
                party=PartyIn(name=f"中村市第{i}号餐饮管理有限公司", kind="enterprise"),
                cause="后厨环境卫生不符合食品安全标准",
                major=i % 3 == 0,
            ),
        )
        for code in CODES:
            issue_document(
                s,
                rt.settings,
                rt.documents,
                CLERK,
                case.id,
                DocumentIssue(template=code, data=sample_data(code)),
            )
        close_case(s, CLERK, case.id, CaseOutcome.passed)
        case_id = case.id
    return case_id, time.perf_counter() - t0


def run_archive(rt: Runtime, cases: int, prebuilt: int) -> dict[str, float]:
    """Archive ``cases`` fresh cases and ``prebuilt`` ones whose PDFs exist; return figures."""
    totals, stages = [], {k: [] for k in ("render", "pdf", "read", "merge", "upload", "index")}
    for i in range(cases):
        case_id, render_s = _new_case(rt, i)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        archive_case(rt, ARCHIVIST, case_id, timings=timings)
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
            ensure_pdf(rt, doc_id)
        t0 = time.perf_counter()
        archive_case(rt, ARCHIVIST, case_id)
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


def main() -> None:
    """Run the archive benchmark (and the search benchmark) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--prebuilt", type=int, default=20)
    parser.add_argument("--no-search", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="anjuan-bench-") as tmp:
        settings = Settings(
            env="test", data_dir=Path(tmp), pdf_workers=2, secret_key="bench-" + "x" * 40
        )  # type: ignore[arg-type]
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        engine.dispose()
        rt = Runtime.start(settings)
        try:
            rt.converter()  # warm LibreOffice before timing
            result = run_archive(rt, args.cases, args.prebuilt)
        finally:
            rt.close()
    print(
        f"archive: case p50 {result['case_p50_s']} s, p95 {result['case_p95_s']} s "
        f"(target ≤ 3 s); prebuilt PDFs p50 {result['case_prebuilt_p50_s']} s "
        f"(target ≤ 0.5 s)"
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
