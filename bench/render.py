"""Benchmark: rendering template 07 (full data, QR code) — our renderer vs naive docxtpl.

Naive docxtpl is what most services do per document: load the template, render, save. Both
are measured in the same run, on the same data, each document with its own QR payload, and
their outputs are checked to be equivalent (same text, same images) before timing.

Run: ``.venv/bin/python bench/render.py [--n 200]``; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
import zipfile
from collections.abc import Callable

import docx

from doc_templates import RenderContext, get_template, render_docx, render_docx_naive
from doc_templates.samples import sample_context, sample_data


def _text_and_images(content: bytes) -> tuple[str, dict[str, bytes]]:
    d = docx.Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.footer.paragraphs] + [p.text for p in s.header.paragraphs]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        images = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    return "\n".join(parts), images


def _time(fn: Callable[[int], bytes], n: int) -> list[float]:
    fn(-1)  # warm-up (loads and caches the template for the fast path)
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    """Measure both renderers and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="documents per renderer")
    args = parser.parse_args()

    template = get_template("07")
    data = template.model.model_validate(sample_data("07"))
    base = sample_context("07")

    def ctx(i: int) -> RenderContext:
        return base.model_copy(update={"verify_url": f"{base.verify_url}{i:08d}"})

    fast_out = render_docx(template, ctx(0), data)
    naive_out = render_docx_naive(template, ctx(0), data)
    assert _text_and_images(fast_out) == _text_and_images(naive_out), "outputs differ"

    fast = _time(lambda i: render_docx(template, ctx(i), data), args.n)
    naive = _time(lambda i: render_docx_naive(template, ctx(i), data), max(args.n // 4, 20))
    result = {
        "template": "07",
        "n": len(fast),
        "baseline_n": len(naive),
        "p50_ms": round(statistics.median(fast), 2),
        "p95_ms": round(_p(fast, 95), 2),
        "baseline_p50_ms": round(statistics.median(naive), 2),
        "baseline_p95_ms": round(_p(naive, 95), 2),
    }
    result["ratio"] = round(result["baseline_p50_ms"] / result["p50_ms"], 1)
    print(f"renderer      p50 {result['p50_ms']:7.2f} ms  p95 {result['p95_ms']:7.2f} ms")
    print(
        f"naive docxtpl p50 {result['baseline_p50_ms']:7.2f} ms  "
        f"p95 {result['baseline_p95_ms']:7.2f} ms"
    )
    print(f"ratio {result['ratio']}x (target ≥ 6x and p50 ≤ 5 ms); outputs equivalent")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
