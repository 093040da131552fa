"""The quarterly report's charts, drawn with matplotlib in a Noto CJK face found through
fontconfig, so that Chinese labels come out as glyphs, not boxes."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

FAMILY = "Noto Sans CJK SC"
# The size of the picture placeholders in the report template (centimetres), at 200 dpi.
WIDTH_CM, HEIGHT_CM = 15.0, 7.5


class ChartFontMissing(RuntimeError):
    """No CJK face: the charts would draw boxes (install fonts-noto-cjk)."""


@functools.cache
def cjk_family() -> str:
    """Register the Noto CJK collection fontconfig finds for ``FAMILY`` and return its name."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise ChartFontMissing("fc-match not found (fontconfig)")
    found = subprocess.run(
        [fc_match, "-f", "%{file}\n%{family}", FAMILY],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.splitlines()
    if len(found) < 2 or "CJK" not in found[1]:
        raise ChartFontMissing(f"fontconfig has no {FAMILY}: {found}")
    font_manager.fontManager.addfont(found[0])  # every face of the collection, SC included
    return FAMILY


def _figure() -> tuple[plt.Figure, plt.Axes]:
    plt.rcParams["font.family"] = cjk_family()
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=200)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig: plt.Figure) -> bytes:
    out = io.BytesIO()
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=200)
    plt.close(fig)
    return out.getvalue()


def grouped_bars(
    title: str, labels: Sequence[str], series: dict[str, Sequence[float]], unit: str
) -> bytes:
    """Bars per label, one colour per series (e.g. cases opened and closed by month)."""
    fig, ax = _figure()
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        bars = ax.bar(xs, values, width, label=name)
        ax.bar_label(bars, fontsize=7, fmt="%g")
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylabel(unit, fontsize=8)
    top = max((v for values in series.values() for v in values), default=0)
    ax.set_ylim(0, max(top * 1.2, 1))
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    return _png(fig)


def rate_bars(
    title: str, labels: Sequence[str], rates: Sequence[float | None], target: float | None
) -> bytes:
    """A rate (as a percentage) per label, with the target as a dashed line."""
    fig, ax = _figure()
    values = [100 * r if r is not None else 0 for r in rates]
    bars = ax.bar(range(len(labels)), values, 0.6, color="#c0504d")
    ax.bar_label(bars, labels=["—" if r is None else f"{100 * r:.1f}%" for r in rates], fontsize=7)
    if target is not None:
        ax.axhline(100 * target, linestyle="--", color="#555555", linewidth=1)
        ax.text(len(labels) - 0.5, 100 * target, f"目标 {100 * target:g}%", fontsize=7, va="bottom")
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylabel("%", fontsize=8)
    ax.set_ylim(0, max([*values, 100 * (target or 0), 10]) * 1.2)
    ax.set_title(title, fontsize=10)
    return _png(fig)
