"""DOCX → PDF/A-2b latency: the warm LibreOffice pool against a cold soffice per document.

Both convert the same document in the same run: template 07 (约谈笔录) rendered with its
sample data, with the project's CJK font mapping. The cold baseline is
``soffice --headless --convert-to pdf`` with the same PDF/A-2b filter option, one process per
document, reusing one profile (created during its warm-up) — the kindest cold case.
``doc_templates.pdf.docx_to_pdf`` (a fresh profile per call) is timed too, for information.

    .venv/bin/python bench/pdf.py [--warm 20] [--cold 5] [--cold-fresh 3]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from doc_templates.catalogue import get_template
from doc_templates.converter import ConverterPool
from doc_templates.fonts import fontconfig_env
from doc_templates.pdf import docx_to_pdf
from doc_templates.renderer import render_docx
from doc_templates.samples import sample_context, sample_data

PDFA_2B = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def template_07() -> bytes:
    """Template 07 rendered with its sample data."""
    template = get_template("07")
    data = template.model.model_validate(sample_data("07"))
    return render_docx(template, sample_context("07"), data)


def cold_converter(work: Path, env: dict[str, str]) -> Callable[[bytes], bytes]:
    """A cold ``soffice --convert-to`` per call, all calls sharing one profile."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice is not on PATH")
    profile = (work / "profile").as_uri()

    def convert(docx: bytes) -> bytes:
        source = work / "document.docx"
        source.write_bytes(docx)
        (work / "document.pdf").unlink(missing_ok=True)
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                PDFA_2B,
                "--outdir",
                str(work),
                str(source),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (work / "document.pdf").read_bytes()

    return convert


def timed(convert: Callable[[bytes], bytes], docx: bytes, into: list[float]) -> None:
    """Convert once, check the PDF and append the milliseconds spent to ``into``."""
    began = time.perf_counter()
    pdf = convert(docx)
    into.append((time.perf_counter() - began) * 1000)
    check(pdf)


def check(pdf: bytes) -> None:
    """Fail loudly if a conversion did not give a PDF with pages."""
    if not PdfReader(io.BytesIO(pdf)).pages:
        raise SystemExit("a conversion produced a PDF without pages")


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def describe(label: str, values: list[float]) -> str:
    """One human-readable line of figures."""
    return (
        f"{label:<34} n={len(values):<3} p50={statistics.median(values):7.0f} ms  "
        f"p95={p95(values):7.0f} ms  min={min(values):7.0f} ms  max={max(values):7.0f} ms"
    )


def main() -> None:
    """Run both sides and print the comparison, JSON last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=20, help="timed warm-pool conversions")
    parser.add_argument("--cold", type=int, default=5, help="timed cold soffice conversions")
    parser.add_argument(
        "--cold-fresh",
        type=int,
        default=3,
        help="timed doc_templates.pdf.docx_to_pdf calls (0 to skip)",
    )
    args = parser.parse_args()

    docx = template_07()
    env = {**os.environ, **fontconfig_env()}
    print(f"document: template 07 with its sample data, {len(docx)} bytes of DOCX")

    began = time.perf_counter()
    warm: list[float] = []
    cold: list[float] = []
    fresh: list[float] = []
    with (
        ConverterPool(2, env=fontconfig_env()) as pool,
        tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp,
    ):
        print(f"pool of 2 workers started and warmed in {time.perf_counter() - began:.1f} s")
        soffice = cold_converter(Path(tmp), env)
        # One untimed warm-up each (the cold one creates the shared profile).
        for convert in (pool.convert, soffice, docx_to_pdf)[: 3 if args.cold_fresh else 2]:
            check(convert(docx))
        # Interleaved rounds, so that both sides see the same machine load.
        rounds = max(args.cold, args.cold_fresh)
        for round_no in range(rounds):
            share = args.warm * (round_no + 1) // rounds - args.warm * round_no // rounds
            for _ in range(share):
                timed(pool.convert, docx, warm)
            if round_no < args.cold:
                timed(soffice, docx, cold)
            if round_no < args.cold_fresh:
                timed(docx_to_pdf, docx, fresh)
    print(describe("warm pool (sequential jobs)", warm))
    print(describe("cold soffice, one shared profile", cold))
    if fresh:
        print(describe("docx_to_pdf (fresh profile each)", fresh))

    p50, baseline_p50 = statistics.median(warm), statistics.median(cold)
    print(f"warm pool is {baseline_p50 / p50:.1f}x faster than a cold soffice (p50)")
    result = {
        "document": "template 07 + sample",
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95(warm), 1),
        "baseline_p50_ms": round(baseline_p50, 1),
        "baseline_p95_ms": round(p95(cold), 1),
        "ratio": round(baseline_p50 / p50, 2),
        "n": len(warm),
        "baseline_n": len(cold),
    }
    if fresh:
        result["cold_fresh_profile_p50_ms"] = round(statistics.median(fresh), 1)
        result["cold_fresh_profile_n"] = len(fresh)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
