"""Server time of the archivist's search page beside the API's search, at 100k archives.

Loads synthetic archives with Chinese dossier texts (the loader and the queries of
``bench/archive_search.py``) into a fresh, migrated SQLite file (or, with ``--postgresql``, a
fresh schema of ``TEST_DATABASE_URL``), then asks the same queries of both, in the same run:

- the console's ``GET /archives?…`` (signed in as an archivist: session cookie, role check,
  search, the page rendered by Jinja2), and
- the API's ``GET /api/v1/archives?…`` (bearer token, role check, search, JSON).

Requests go to the app in-process (no network, no S3: the search touches neither), so the
time measured is the server's. Each batch runs twice; the second pass is reported (the first
meets a cold cache).

    .venv/bin/python bench/console_search.py [--size 100000] [--queries 30] [--postgresql]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

HERE = Path(__file__).resolve().parent
# bench/archive.py would shadow the ``archive`` package: load the sibling by its path instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("archive_search_bench", HERE / "archive_search.py")
assert _spec is not None and _spec.loader is not None
archive_search = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = archive_search
_spec.loader.exec_module(archive_search)
KINDS, SEED = archive_search.KINDS, archive_search.SEED
load, percentile, queries = archive_search.load, archive_search.percentile, archive_search.queries

from service.app import create_app  # noqa: E402
from service.archives.search import ArchiveQuery  # noqa: E402
from service.auth.models import Role  # noqa: E402
from service.auth.service import create_user  # noqa: E402
from service.config import Settings  # noqa: E402
from service.db import make_engine, transaction  # noqa: E402
from service.migrate import upgrade  # noqa: E402

PASSWORD = "correct horse battery staple"
TARGET_P95_MS = 150.0


def params(q: ArchiveQuery) -> dict[str, str]:
    """The query string both the page and the API take for a search."""
    out = {
        "q": q.q,
        "case_no": q.case_no,
        "party": q.party,
        "from": q.date_from.isoformat() if q.date_from else None,
        "to": q.date_to.isoformat() if q.date_to else None,
        "class": q.retention_class,
        "status": q.status,
        "expires_before": q.expires_before.isoformat() if q.expires_before else None,
        "sort": q.sort,
    }
    return {k: v for k, v in out.items() if v}


def timed(client: TestClient, url: str, headers: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
    return elapsed


def bench(database_url: str, data_dir: Path, size: int, n: int) -> dict[str, Any]:
    engine = make_engine(database_url)
    upgrade(engine)
    seconds = load(engine, 1, size, random.Random(SEED))
    print(f"loaded {size} archives in {seconds:.1f} s", flush=True)
    settings = Settings(
        env="test",
        data_dir=data_dir,
        database_url=database_url,
        secret_key="bench-secret-" + "x" * 40,  # type: ignore[arg-type]
        jobs_in_serve=False,
    )
    # The search reads only the database: a runtime with settings and sessions is enough.
    runtime = SimpleNamespace(settings=settings, sessions=sessionmaker(engine))
    with transaction(runtime.sessions) as s:
        create_user(s, "bench-archivist", Role.archivist, PASSWORD)
    app = create_app(runtime=runtime)  # type: ignore[arg-type]
    out: dict[str, Any] = {}
    with TestClient(app, base_url="https://testserver") as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "bench-archivist", "password": PASSWORD}
        ).json()["access_token"]
        api_headers = {"Authorization": f"Bearer {token}"}
        page = client.get("/login")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        signed = client.post(
            "/login",
            data={"username": "bench-archivist", "password": PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        qrng = random.Random(SEED + size)
        every: dict[str, list[float]] = {"console": [], "api": []}
        for kind in KINDS:
            batch = [params(q) for q in queries(kind, n, qrng)]
            figures: dict[str, list[float]] = {"console": [], "api": []}
            for attempt in range(2):  # the second pass is the steady state
                for p in batch:
                    console = timed(client, f"/archives?{urlencode(p)}", {})
                    api = timed(client, f"/api/v1/archives?{urlencode(p)}", api_headers)
                    if attempt:
                        figures["console"].append(console)
                        figures["api"].append(api)
            for side in figures:
                every[side] += figures[side]
            out[kind] = {
                "console_p50_ms": round(percentile(figures["console"], 50), 1),
                "console_p95_ms": round(percentile(figures["console"], 95), 1),
                "api_p50_ms": round(percentile(figures["api"], 50), 1),
                "api_p95_ms": round(percentile(figures["api"], 95), 1),
            }
            print(f"{kind:<15} {out[kind]}", flush=True)
    engine.dispose()
    return {
        "archives": size,
        "queries_per_kind": n,
        "by_kind": out,
        "console_p95_ms": round(percentile(every["console"], 95), 1),
        "api_p95_ms": round(percentile(every["api"], 95), 1),
        "load_s": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--postgresql", action="store_true", help="use TEST_DATABASE_URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgresql:
            base = os.environ["TEST_DATABASE_URL"]
            schema = f"anjuan_bench_{uuid.uuid4().hex[:12]}"
            admin = sa.create_engine(base)
            with admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in base else "?"
            try:
                result = bench(
                    f"{base}{sep}options=-csearch_path%3D{schema}",
                    Path(tmp),
                    args.size,
                    args.queries,
                )
            finally:
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
            backend = "postgresql"
        else:
            result = bench(
                f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp), args.size, args.queries
            )
            backend = "sqlite"
    result = {"bench": "console_search", "backend": backend, **result}
    result["target_p95_ms"] = TARGET_P95_MS
    result["console_meets_target"] = result["console_p95_ms"] <= TARGET_P95_MS
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
