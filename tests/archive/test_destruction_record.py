"""The destruction record PDF: text, signatures, page overflow, embedded fonts, PDF/A."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.destruction_record import (
    DestroyedItem,
    DestructionRecord,
    DestructionRecordError,
    Signature,
    render_destruction_record,
)
from archive.dossier import extract_text
from archive.dossier.merge import BEIJING
from archive.dossier.pdfa_checks import pdfa_findings

SUPERVISORS = ["李监销", "王纪检", "赵法制"]


def make_item(index: int, party: str = "某某市某某食品有限公司") -> DestroyedItem:
    """A five-year archive closed in 2020, expired at the end of 2025."""
    return DestroyedItem(
        archive_no=f"J031-2020-05Y-{index:04d}",
        case_no=f"中村约〔2020〕{index}号",
        party=party if index == 1 else f"{party}{index}分店",
        retention_label="5年",
        closed_on=date(2020, 6, 1),
        expires_on=date(2025, 12, 31),
        sha256=hashlib.sha256(str(index).encode()).hexdigest(),
        page_count=10 + index,
    )


def make_record(
    count: int = 2, *, party: str = "某某市某某食品有限公司", supervisors: list[str] | None = None
) -> DestructionRecord:
    """A record of ``count`` archives, witnessed by three supervisors."""
    at = datetime(2026, 5, 6, 10, 30, tzinfo=BEIJING)
    items = [make_item(index, party) for index in range(1, count + 1)]
    return DestructionRecord(
        agency_name="某某市某某区市场监督管理局",
        record_no="销毁〔2026〕1号",
        list_title="2026年第1批到期档案销毁清册",
        appraisal="经鉴定，下列档案保管期限已满，无继续保存价值，且无复议、诉讼或投诉未结事项，建议销毁。",
        proposed_by=Signature("经办人（档案员）", "周档案", at - timedelta(days=10)),
        approved_by=Signature("审批人（领导小组）", "陈局长", at - timedelta(days=3), "同意销毁。"),
        supervisors=[
            Signature("监销人", name, at + timedelta(minutes=5 * offset))
            for offset, name in enumerate(supervisors or SUPERVISORS)
        ],
        executed_at=at,
        items=items,
        storage_results=[f"archives/{item.archive_no}.pdf：已删除 3 个版本" for item in items],
    )


@pytest.fixture(scope="module")
def record_pdf() -> bytes:
    """The two-archive record, rendered once."""
    return render_destruction_record(make_record())


def compact(pdf: bytes) -> str:
    """The record's text without whitespace (cells may wrap a long value)."""
    return re.sub(r"\s+", "", extract_text(pdf))


def test_record_names_the_archives_and_everyone_who_signed(record_pdf: bytes) -> None:
    record = make_record()
    assert len(PdfReader(io.BytesIO(record_pdf)).pages) >= 1
    text = compact(record_pdf)
    for value in (
        "档案销毁记录",
        record.record_no,
        record.list_title,
        "删除对象存储中全部版本",
        "监销人（三人以上）",
        record.approved_by.name,
        record.proposed_by.name,
        "同意销毁。",
        "2026年5月6日10:30",
        *SUPERVISORS,
    ):
        assert value in text, value
    for item in record.items:
        assert item.archive_no in text and item.party in text and item.sha256[:16] in text
        assert item.sha256[16:32] not in text


def test_signature_times_are_printed_in_beijing_time() -> None:
    record = make_record()
    utc = Signature("审批人（领导小组）", "陈局长", datetime(2026, 5, 3, 2, 30, tzinfo=UTC))
    pdf = render_destruction_record(replace(record, approved_by=utc))
    assert "2026年5月3日10:30" in compact(pdf)


def test_every_font_is_embedded(record_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "record.pdf"
    path.write_bytes(record_pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert any("NotoSerifCJKSC" in line for line in lines)
    assert all(line.split()[-5] == "yes" for line in lines), lines  # the "emb" column


def test_xmp_identifies_pdfa_3b_with_the_agency_as_author(record_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(record_pdf))
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert reader.metadata is not None
    assert reader.metadata.title == "档案销毁记录 销毁〔2026〕1号"
    assert reader.metadata.author == "某某市某某区市场监督管理局"
    assert record_pdf.startswith(b"%PDF-1.7\n%")
    assert reader.root_object["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert pdfa_findings(record_pdf, reader) == []


def test_sixty_archives_spill_over_pages_with_the_header_repeated() -> None:
    record = make_record(60)
    pdf = render_destruction_record(record)
    pages = extract_text(pdf).split("\f")
    pages = [page for page in pages if page.strip()]
    total = len(pages)
    assert total >= 2
    flat = [re.sub(r"\s+", "", page) for page in pages]
    for item in record.items:  # the 档号 also heads its storage result; the 案号 does not
        assert item.archive_no in "".join(flat)
        assert sum(item.case_no in page for page in flat) == 1, item.case_no
    for number, page in enumerate(flat, start=1):
        assert f"第{number}页共{total}页" in page
    table_pages = [page for page in flat if "中村约" in page]
    assert len(table_pages) >= 2 and all("到期日期" in page for page in table_pages)
    assert all(name in "".join(flat) for name in SUPERVISORS)


def test_a_rare_character_falls_back_to_the_full_font() -> None:
    pdf = render_destruction_record(make_record(party="张堃喆"))  # 堃, 喆: not in GB2312
    assert "张堃喆" in compact(pdf)


def test_destruction_needs_three_distinct_supervisors() -> None:
    with pytest.raises(DestructionRecordError, match="三人以上"):
        render_destruction_record(make_record(supervisors=["李监销", "王纪检"]))
    with pytest.raises(DestructionRecordError, match="三人以上"):
        render_destruction_record(make_record(supervisors=["李监销", "王纪检", "李监销"]))


def test_every_archive_needs_its_storage_result() -> None:
    record = make_record(2)
    short = replace(record, storage_results=["only one"])
    with pytest.raises(DestructionRecordError, match="storage results"):
        render_destruction_record(short)
