"""The quarterly report (季度统计报告): the quarter's statistics as a document numbered and dated
like an issued one — tables, two charts — rendered by the twelve's renderer, and converted to
PDF by the same converter.

Its 文号 is the quarter's: ``{agency_code}统报〔{year}〕{n}号`` for the n-th quarter (one report
per quarter), its 成文日期 the day it is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from doc_templates import cn_date
from service import clock
from service.calendar.workdays import MAX_YEAR, MIN_YEAR
from service.config import Settings
from service.errors import FieldError
from service.reports import charts
from service.reports.template import CHARTS, SECTION_COLUMNS, compiled
from service.reviews.service import quarter_bounds
from service.statistics.repository import Scope
from service.statistics.schemas import Figures, Slice, StatisticsOut
from service.statistics.service import statistics
from service.statistics.tally import month_range

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
# (figure, target as text, target as a rate for charts) — the targets of reference 000
TARGETS: dict[str, str] = {
    "rectification_pass_rate": "≥90%",
    "document_quality_rate": "≥98%",
    "ledger_share": "100%",
    "clue_to_start_within_15_share": "100%",
}
HEADLINE = (
    "cases_opened",
    "cases_closed",
    "closed_passed",
    "closed_penalty",
    "interviews_held",
    "rectification_pass_rate",
    "overdue_rate",
    "steps_overdue_now",
    "clue_to_start_median_wd",
    "clue_to_start_p90_wd",
    "clue_to_start_within_15_share",
    "documents_issued",
    "documents_voided",
    "ledger_share",
    "archived_in_time_share",
    "satisfaction_mean",
    "document_quality_rate",
)


@dataclass(frozen=True)
class Report:
    """A rendered quarterly report."""

    quarter: str
    doc_no: str
    issued_on: date
    docx: bytes
    stats: StatisticsOut


def parse_quarter(quarter: str) -> tuple[int, int]:
    """(year, n) of ``YYYYQn``, or 422 naming the field."""
    found = QUARTER.match(quarter)
    if found is None or not MIN_YEAR <= int(found[1]) <= MAX_YEAR:
        raise FieldError(
            [
                {
                    "field": "quarter",
                    "message": f"{quarter!r} is not YYYYQn in {MIN_YEAR}–{MAX_YEAR}",
                    "label": "季度",
                }
            ]
        )
    return int(found[1]), int(found[2])


def pct(value: float | None) -> str:
    """0.1234 → 12.3%; none → —."""
    return "—" if value is None else f"{100 * value:.1f}%"


def shown(name: str, value: Any) -> str:
    """A figure as the report prints it."""
    if value is None:
        return "—"
    if name.endswith(("_rate", "_share")):
        return pct(value)
    if name.endswith("_wd"):
        return f"{value}个工作日"
    if name == "satisfaction_mean":
        return f"{value}分"
    return f"{value}件" if isinstance(value, int) else str(value)


def _summary(t: Figures, title: str) -> list[str]:
    return [
        f"{title}，全局共受理线索{t.cases_opened}件，结案{t.cases_closed}件（整改合格"
        f"{t.closed_passed}件、转入行政处罚程序{t.closed_penalty}件、其他{t.closed_other}件），"
        f"实施约谈{t.interviews_held}次。",
        f"整改验收{t.acceptances}件，合格{t.acceptances_passed}件，整改合格率"
        f"{pct(t.rectification_pass_rate)}；办结环节{t.steps_done}个，超期办结"
        f"{t.steps_done_late}个，超期率{pct(t.overdue_rate)}，当前仍超期{t.steps_overdue_now}个。",
        f"从接收线索到启动约谈的工作日中位数为{shown('x_wd', t.clue_to_start_median_wd)}，"
        f"15个工作日内启动的比例为{pct(t.clue_to_start_within_15_share)}。",
    ]


def _findings(stats: StatisticsOut) -> list[str]:
    t = stats.totals
    out = [
        f"连续三次以上超期的科室：{run.section}（连续{run.overdue_in_a_row}次，应办日期"
        f"{cn_date(run.first_due_on)}至{cn_date(run.last_due_on)}）。"
        for run in stats.overdue_sections
    ] or ["本季度无连续三次超期的科室。"]
    out.append(
        f"本季度评查案卷{t.cases_reviewed}件，合格{t.cases_reviewed_passed}件，文书合格率"
        f"{pct(t.document_quality_rate)}（目标≥98%）。"
    )
    return out


def context(
    settings: Settings, quarter: str, stats: StatisticsOut, issued_on: date
) -> dict[str, Any]:
    """What the template prints."""
    year, n = parse_quarter(quarter)
    title = f"{year}年{QUARTER_NAMES[n]}"
    fields = Figures.model_fields
    t = stats.totals
    return {
        "agency": settings.agency_name,
        "doc_no": doc_no(settings, quarter),
        "title": f"关于{title}行政约谈工作情况的统计报告",
        "summary": _summary(t, title),
        "figures": [
            {
                "label": fields[name].title,
                "value": shown(name, getattr(t, name)),
                "target": TARGETS.get(name, ""),
            }
            for name in HEADLINE
        ],
        "sections": [
            {
                key: (s.key or "（未分科室）")
                if key == "section"
                else pct(getattr(s, key))
                if key.endswith(("_rate", "_share"))
                else getattr(s, key)
                for _, key in SECTION_COLUMNS
            }
            for s in stats.by_section
        ],
        "findings": _findings(stats),
        "issued_on": cn_date(issued_on),
    }


def doc_no(settings: Settings, quarter: str) -> str:
    """The report's 文号."""
    year, n = parse_quarter(quarter)
    return f"{settings.agency_code}统报〔{year}〕{n}号"


def chart_pngs(stats: StatisticsOut) -> dict[str, bytes]:
    """The two charts: cases by month (every month of the period, none left out for having
    nothing), and the overdue rate by section."""
    found = {m.key: m for m in stats.by_month}
    months = [found.get(key) or Slice(key=key) for key, _, _ in month_range(stats.from_, stats.to)]
    by_month = charts.grouped_bars(
        "各月受理线索与结案数",
        [f"{int(m.key[5:])}月" for m in months],
        {
            "受理线索": [m.cases_opened for m in months],
            "结案": [m.cases_closed for m in months],
            "实施约谈": [m.interviews_held for m in months],
        },
        "件",
    )
    sections = [s.key or "未分科室" for s in stats.by_section]
    by_section = charts.rate_bars(
        "各科室环节超期率", sections, [s.overdue_rate for s in stats.by_section], None
    )
    return dict(zip(CHARTS, (by_month, by_section), strict=True))


def render(session: Session, settings: Settings, quarter: str) -> Report:
    """The quarter's report as DOCX (the quarter must have begun)."""
    parse_quarter(quarter)
    start, end = quarter_bounds(quarter)
    today = clock.today()
    if start > today:
        raise FieldError(
            [{"field": "quarter", "message": f"{quarter} has not begun", "label": "季度"}]
        )
    stats = statistics(session, Scope(start, end))
    docx = compiled().render(context(settings, quarter, stats, today), chart_pngs(stats))
    return Report(quarter, doc_no(settings, quarter), today, docx, stats)
