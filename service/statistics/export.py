"""The statistics as CSV (one table, a column saying which breakdown a row is of) and as XLSX
(one sheet per breakdown), with the figures' Chinese titles as headers."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import BaseModel

from service.statistics.schemas import (
    DocumentFigures,
    Figures,
    OverdueRun,
    StatisticsOut,
    StepFigures,
)

FIGURE_FIELDS = list(Figures.model_fields)


def _title(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def _value(value: Any) -> Any:
    return "" if value is None else value


def figure_rows(stats: StatisticsOut) -> list[tuple[str, str, str, Figures]]:
    """(breakdown, key, section, figures) for the totals and every slice."""
    rows: list[tuple[str, str, str, Figures]] = [("合计", "", "", stats.totals)]
    for label, slices in (
        ("科室", stats.by_section),
        ("承办人", stats.by_handler),
        ("月份", stats.by_month),
    ):
        rows += [(label, s.key, s.section or "", s) for s in slices]
    return rows


def to_csv(stats: StatisticsOut) -> str:
    """One table: 分组方式, 分组, 科室, then every figure."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["分组方式", "分组", "科室", *(_title(Figures, f) for f in FIGURE_FIELDS)])
    for breakdown, key, section, figs in figure_rows(stats):
        writer.writerow(
            [breakdown, key, section, *(_value(getattr(figs, f)) for f in FIGURE_FIELDS)]
        )
    return "\ufeff" + out.getvalue()  # a BOM, so that Excel reads the UTF-8 as such


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_value(v) for v in row])
    ws.freeze_panes = "B2"


def _model_sheet(wb: Workbook, title: str, model: type[BaseModel], items: list[Any]) -> None:
    names = list(model.model_fields)
    header = [_title(model, n) for n in names]
    _sheet(wb, title, header, [[getattr(i, n) for n in names] for i in items])


def to_xlsx(stats: StatisticsOut) -> bytes:
    """A workbook: 说明, 合计, 按科室, 按承办人, 按月份, 按环节, 按文书, 连续超期科室."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "说明"
    about.append(["统计期间", f"{stats.from_.isoformat()} 至 {stats.to.isoformat()}"])
    about.append(["科室（筛选）", stats.section or "全部"])
    about.append(["承办人（筛选）", stats.handler or "全部"])
    about.append(["统计日", stats.as_of.isoformat()])
    about.append([])
    about.append(["指标", "定义"])
    for name in FIGURE_FIELDS:
        info = Figures.model_fields[name]
        about.append([info.title or name, info.description or ""])
    header = [_title(Figures, f) for f in FIGURE_FIELDS]
    _sheet(wb, "合计", header, [[getattr(stats.totals, f) for f in FIGURE_FIELDS]])
    for title, slices, extra in (
        ("按科室", stats.by_section, ["科室"]),
        ("按承办人", stats.by_handler, ["承办人", "科室"]),
        ("按月份", stats.by_month, ["月份"]),
    ):
        rows = [
            [
                s.key,
                *([s.section] if len(extra) == 2 else []),
                *(getattr(s, f) for f in FIGURE_FIELDS),
            ]
            for s in slices
        ]
        _sheet(wb, title, extra + header, rows)
    _model_sheet(wb, "按环节", StepFigures, stats.by_step)
    _model_sheet(wb, "按文书", DocumentFigures, stats.by_template)
    _model_sheet(wb, "连续超期科室", OverdueRun, stats.overdue_sections)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(stats: StatisticsOut, fmt: str) -> Response:
    """The figures as a CSV or XLSX download named for the period."""
    name = f"statistics-{stats.from_.isoformat()}-{stats.to.isoformat()}"
    if fmt == "csv":
        body, media_type = to_csv(stats).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body, media_type = to_xlsx(stats), XLSX
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
