"""The archive destruction record (档案销毁记录) as a PDF/A-3b document, kept permanently."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

import pypdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from archive.dossier.cover import format_date
from archive.dossier.merge import BEIJING
from archive.dossier.page import FrontPage
from archive.dossier.pdfa import PDF_HEADER, DocInfo, add_output_intent, set_metadata

TITLE = "档案销毁记录"
METHOD = "删除对象存储中全部版本"
MIN_SUPERVISORS = 3
HEADERS = (
    "序号",
    "档号",
    "案号",
    "当事人",
    "保管期限",
    "结案日期",
    "到期日期",
    "页数",
    "SHA-256（前16位）",
)
WIDTHS = (8.0, 28.0, 28.0, 34.0, 13.0, 16.5, 16.5, 9.0, 27.0)
SIGN_HEADERS = ("职责", "姓名", "时间", "签名")
SIGN_WIDTHS = (52.0, 30.0, 42.0, 56.0)
_LEFT = 15.0  # the record uses 180 mm of the page: nine columns do not fit in 170
_WIDTH = 180.0
_LABEL_W = 28.0
_BOTTOM = 274.0  # lowest y a block may reach; the page number sits below
_ROW_H = 8.0
_HEAD_H = 10.0
_SIGN_H = 13.0  # tall enough for a handwritten signature
_LINE_H = 5.5


@dataclass(frozen=True)
class DestroyedItem:
    """One destroyed archive, as its line in the record's table."""

    archive_no: str
    case_no: str
    party: str
    retention_label: str  # e.g. "5年"
    closed_on: date
    expires_on: date
    sha256: str
    page_count: int


@dataclass(frozen=True)
class Signature:
    """Who signed in which role, when, and what they wrote."""

    role: str  # e.g. "审批人（领导小组）", "监销人", "经办人（档案员）"
    name: str
    signed_at: datetime
    comment: str | None = None


@dataclass(frozen=True)
class DestructionRecord:
    """Everything the destruction record prints."""

    agency_name: str
    record_no: str  # e.g. "销毁〔2026〕1号"
    list_title: str  # e.g. "2026年第1批到期档案销毁清册"
    appraisal: str  # 鉴定意见, written by the proposer
    proposed_by: Signature
    approved_by: Signature
    supervisors: list[Signature]  # three or more (三人以上监销)
    executed_at: datetime
    items: list[DestroyedItem]
    storage_results: list[str]  # one line per archive: what the object store answered


class DestructionRecordError(ValueError):
    """The record is incomplete: too few supervisors, no archives, results missing."""


def render_destruction_record(record: DestructionRecord) -> bytes:
    """Draw the record and return it as a PDF/A-3b file."""
    _check(record)
    pdf = FrontPage(_record_text(record))
    _draw_first_page(pdf, record)
    _draw_facts(pdf, record)
    _draw_items(pdf, record)
    _draw_results(pdf, record)
    _draw_signatures(pdf, record, "审批意见", [record.approved_by])
    _draw_signatures(pdf, record, "监销人（三人以上）", record.supervisors)
    _draw_signatures(pdf, record, "经办人", [record.proposed_by])
    _number_pages(pdf)
    return _as_pdfa(bytes(pdf.output()), record)


def format_moment(moment: datetime) -> str:
    """Chinese date and time in Beijing time: 2026年5月6日 10:30."""
    local = moment.astimezone(BEIJING) if moment.tzinfo else moment
    return f"{format_date(local.date())} {local:%H:%M}"


def item_cells(number: int, item: DestroyedItem) -> tuple[str, ...]:
    """The printed values of one archive's table row, in column order."""
    return (
        str(number),
        item.archive_no,
        item.case_no,
        item.party,
        item.retention_label,
        item.closed_on.isoformat(),
        item.expires_on.isoformat(),
        str(item.page_count),
        item.sha256[:16],
    )


def _check(record: DestructionRecord) -> None:
    names = {signature.name.strip() for signature in record.supervisors}
    if len(names) < MIN_SUPERVISORS or len(record.supervisors) != len(names):
        raise DestructionRecordError(
            f"destruction needs {MIN_SUPERVISORS} or more distinct supervisors (三人以上监销), "
            f"got {[signature.name for signature in record.supervisors]}"
        )
    if not record.items:
        raise DestructionRecordError("a destruction record lists at least one archive")
    if len(record.storage_results) != len(record.items):
        raise DestructionRecordError(
            f"{len(record.items)} archives but {len(record.storage_results)} storage results"
        )


def _record_text(record: DestructionRecord) -> str:
    """Every string the record prints, for choosing fonts before drawing."""
    signatures = [record.proposed_by, record.approved_by, *record.supervisors]
    return "".join(
        [
            TITLE,
            "（续）编号：第页共",
            METHOD,
            record.agency_name,
            record.record_no,
            record.list_title,
            record.appraisal,
            "销毁清册鉴定意见销毁方式执行时间销毁数量卷年月日",
            "销毁档案清单对象存储删除结果审批意见监销人（三人以上）经办人",
            *HEADERS,
            *SIGN_HEADERS,
            *(
                signature.role + signature.name + (signature.comment or "")
                for signature in signatures
            ),
            *("".join(item_cells(0, item)) for item in record.items),
            *record.storage_results,
        ]
    )


def _draw_first_page(pdf: FrontPage, record: DestructionRecord) -> None:
    pdf.add_page()
    pdf.set_xy(_LEFT, 20)
    pdf.fitted_cell(_WIDTH, 9, record.agency_name, size=16, border=0)
    pdf.set_xy(_LEFT, 31)
    with pdf.bold(0.8):
        pdf.set_font_size(24)
        pdf.cell(_WIDTH, 14, pdf.spaced(TITLE), align="C")
    pdf.set_xy(_LEFT, 47)
    pdf.fitted_cell(_WIDTH, 7, f"编号：{record.record_no}", size=12, border=0)
    pdf.set_xy(_LEFT, 58)


def _new_page(pdf: FrontPage, record: DestructionRecord) -> None:
    pdf.add_page()
    pdf.set_xy(_LEFT, 14)
    pdf.fitted_cell(_WIDTH / 2, 7, f"{TITLE}（续）", size=10, align="L", border=0)
    pdf.fitted_cell(_WIDTH / 2, 7, f"编号：{record.record_no}", size=10, align="R", border=0)
    pdf.set_xy(_LEFT, 24)


def _room(pdf: FrontPage, record: DestructionRecord, height: float) -> bool:
    """Start a new page unless ``height`` mm still fit; say whether one was started."""
    if pdf.get_y() + height <= _BOTTOM:
        return False
    _new_page(pdf, record)
    return True


def _wrapped(pdf: FrontPage, width: float, text: str, size: float) -> int:
    """How many lines ``text`` takes in a box ``width`` mm wide at ``size`` pt."""
    pdf.set_font_size(size)
    lines = pdf.multi_cell(width, _LINE_H, text, dry_run=True, output="LINES")
    return max(1, len(cast(list[str], lines)))


def _boxed_text(pdf: FrontPage, x: float, width: float, text: str, size: float) -> float:
    """A bordered, left-aligned, wrapping box at the cursor's y; returns its height."""
    y = pdf.get_y()
    height = _wrapped(pdf, width, text, size) * _LINE_H + 2.5
    pdf.rect(x, y, width, height)
    pdf.set_xy(x, y + 1.25)
    pdf.multi_cell(width, _LINE_H, text, border=0, align="L")
    return height


def _draw_facts(pdf: FrontPage, record: DestructionRecord) -> None:
    pages = sum(item.page_count for item in record.items)
    facts = [
        ("销毁清册", record.list_title),
        ("鉴定意见", record.appraisal),
        ("销毁数量", f"{len(record.items)} 卷，共 {pages} 页"),
        ("销毁方式", METHOD),
        ("执行时间", format_moment(record.executed_at)),
    ]
    for label, value in facts:
        x, y = _LEFT + _LABEL_W, pdf.get_y()
        pdf.set_x(x)
        height = _boxed_text(pdf, x, _WIDTH - _LABEL_W, value, 11)
        pdf.set_xy(_LEFT, y)
        pdf.fitted_cell(_LABEL_W, height, label, size=11)
        pdf.set_xy(_LEFT, y + height)
    pdf.set_y(pdf.get_y() + 5)


def _heading(pdf: FrontPage, record: DestructionRecord, text: str, keep_with: float) -> None:
    """A block heading, moved to a new page together with the first ``keep_with`` mm."""
    _room(pdf, record, 9 + keep_with)
    pdf.set_x(_LEFT)
    with pdf.bold(0.4):
        pdf.set_font_size(12)
        pdf.cell(_WIDTH, 9, text, align="L")
    pdf.set_xy(_LEFT, pdf.get_y() + 9)


def _row(
    pdf: FrontPage,
    widths: Sequence[float],
    cells: Sequence[str],
    height: float,
    *,
    size: float,
    bold: bool = False,
    aligns: str | None = None,
) -> None:
    """One table row of boxed, fitted cells at the cursor's y; moves the cursor below it."""
    y = pdf.get_y()
    x = _LEFT
    for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
        pdf.rect(x, y, width, height)
        pdf.set_xy(x, y)
        if bold:
            with pdf.bold(0.3):
                pdf.fitted_cell(width, height, text, size=size, border=0)
        else:
            align = aligns[index] if aligns else "C"
            pdf.fitted_cell(width, height, text, size=size, align=align, border=0)
        x += width
    pdf.set_xy(_LEFT, y + height)


def _draw_items(pdf: FrontPage, record: DestructionRecord) -> None:
    _heading(pdf, record, "销毁档案清单", _HEAD_H + _ROW_H)
    _row(pdf, WIDTHS, HEADERS, _HEAD_H, size=8.5, bold=True)
    for number, item in enumerate(record.items, start=1):
        if _room(pdf, record, _ROW_H):
            _row(pdf, WIDTHS, HEADERS, _HEAD_H, size=8.5, bold=True)
        _row(pdf, WIDTHS, item_cells(number, item), _ROW_H, size=7.5, aligns="CLLLCCCCC")
    pdf.set_y(pdf.get_y() + 5)


def _draw_results(pdf: FrontPage, record: DestructionRecord) -> None:
    _heading(pdf, record, "对象存储删除结果", _LINE_H)
    for number, line in enumerate(record.storage_results, start=1):
        text = f"{number}. {line}"
        _room(pdf, record, _wrapped(pdf, _WIDTH, text, 8.5) * _LINE_H)
        pdf.set_x(_LEFT)
        pdf.multi_cell(_WIDTH, _LINE_H, text, border=0, align="L")
    pdf.set_y(pdf.get_y() + 5)


def _draw_signatures(
    pdf: FrontPage,
    record: DestructionRecord,
    heading: str,
    signatures: Sequence[Signature],
) -> None:
    """A block of signature rows (role, name, time, an empty box to sign in), with comments."""
    _heading(pdf, record, heading, _ROW_H + _SIGN_H)
    _row(pdf, SIGN_WIDTHS, SIGN_HEADERS, _ROW_H, size=10, bold=True)
    for signature in signatures:
        if _room(pdf, record, _SIGN_H):
            _row(pdf, SIGN_WIDTHS, SIGN_HEADERS, _ROW_H, size=10, bold=True)
        cells = (signature.role, signature.name, format_moment(signature.signed_at), "")
        _row(pdf, SIGN_WIDTHS, cells, _SIGN_H, size=10.5)
        if signature.comment:
            text = f"意见：{signature.comment}"
            _room(pdf, record, _wrapped(pdf, _WIDTH, text, 10) * _LINE_H + 2.5)
            pdf.set_y(pdf.get_y() + _boxed_text(pdf, _LEFT, _WIDTH, text, 10))
            pdf.set_x(_LEFT)
    pdf.set_y(pdf.get_y() + 5)


def _number_pages(pdf: FrontPage) -> None:
    """Go back over the pages to print "第 N 页 共 M 页", now that M is known."""
    total = pdf.page
    for number in range(1, total + 1):
        pdf.page = number
        pdf.set_xy(_LEFT, 280)
        pdf.set_font_size(9)
        pdf.cell(_WIDTH, 5, f"第 {number} 页  共 {total} 页", align="C")


def _as_pdfa(drawn: bytes, record: DestructionRecord) -> bytes:
    """Re-write fpdf2's output with the dossier's PDF/A-3b metadata and output intent."""
    writer = PdfWriter()
    writer.pdf_header = PDF_HEADER
    writer.append(PdfReader(io.BytesIO(drawn)), import_outline=False)
    add_output_intent(writer)
    set_metadata(
        writer,
        DocInfo(
            title=f"{TITLE} {record.record_no}",
            author=record.agency_name,
            subject=f"{record.list_title}，{len(record.items)} 卷",
            keywords="; ".join([record.record_no, *(item.archive_no for item in record.items)]),
            creator="anjuan destruction record",
            producer=f"anjuan with fpdf2 and pypdf {pypdf.__version__}",
            created=datetime.now(BEIJING).replace(microsecond=0),
        ),
    )
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    writer.generate_file_identifiers()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
