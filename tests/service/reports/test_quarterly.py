"""The quarterly report: the quarter's figures as a numbered, dated document with tables and
two charts (CJK labels as glyphs), a draft until a leader signs it off, then archived for
good."""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from service.audit.models import AuditEntry
from service.auth.models import Role
from service.db import transaction
from service.reports import charts
from service.reports.models import QuarterlyReport
from service.runtime import Runtime

URL = "/api/v1/reports/quarterly"


def test_chart_labels_are_drawn_in_a_cjk_face_without_missing_glyphs() -> None:
    assert charts.cjk_family() == "Noto Sans CJK SC"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = charts.grouped_bars("各月受理线索与结案数", ["7月", "8月"], {"结案": [1, 2]}, "件")
    assert Image.open(io.BytesIO(png)).size[0] > 1000


def test_the_report_is_numbered_dated_with_tables_and_two_charts(
    client: TestClient, user_headers, office
) -> None:
    r = client.get(
        URL, headers=user_headers(Role.leader), params={"quarter": "2026Q3", "format": "docx"}
    )
    assert r.status_code == 200, r.text
    assert r.headers["x-report-status"] == "draft"
    docx = zipfile.ZipFile(io.BytesIO(r.content))
    xml = docx.read("word/document.xml").decode()
    assert "中村统报〔2026〕3号" in xml
    assert "关于2026年第三季度行政约谈工作情况的统计报告" in xml
    assert "2026年11月16日" in xml  # 成文日期: the day it was made
    assert "三科" in xml and "连续3次" in xml  # the section table and the overdue run
    assert xml.count("<w:tbl>") == 2
    for name in ("word/media/image1.png", "word/media/image2.png"):
        width, _ = Image.open(io.BytesIO(docx.read(name))).size
        assert width > 1000  # the chart, not the template's 300-pixel placeholder


def test_the_report_as_pdf_carries_its_text(client: TestClient, user_headers, office) -> None:
    r = client.get(URL, headers=user_headers(Role.auditor), params={"quarter": "2026Q3"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "第三季度行政约谈工作情况的统计报告" in "".join(text.split())


def test_a_quarter_not_begun_is_refused(client: TestClient, user_headers, office) -> None:
    r = client.get(URL, headers=user_headers(Role.legal), params={"quarter": "2027Q1"})
    assert r.status_code == 422


def test_a_leader_signs_the_report_off_and_it_is_archived_for_good(
    client: TestClient, user_headers, office, runtime: Runtime
) -> None:
    assert client.post(f"{URL}/2026Q3/sign", headers=user_headers(Role.legal)).status_code == 403
    leader = user_headers(Role.leader)
    r = client.post(f"{URL}/2026Q3/sign", headers=leader)
    assert r.status_code == 201, r.text
    signed = r.json()
    assert (signed["doc_no"], signed["issued_on"], signed["retention"]) == (
        "中村统报〔2026〕3号",
        "2026-11-16",
        "permanent",
    )
    again = client.post(f"{URL}/2026Q3/sign", headers=leader)
    assert again.status_code == 200 and again.json() == signed
    with transaction(runtime.sessions) as session:
        row = session.scalar(select(QuarterlyReport))
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "report.sign"))
    assert row is not None and entry is not None
    assert runtime.archive.get_legal_hold(row.pdf_key, row.pdf_version_id) is True
    got = client.get(URL, headers=leader, params={"quarter": "2026Q3"})
    assert got.headers["x-report-status"] == "signed"
    assert hashlib.sha256(got.content).hexdigest() == signed["pdf_sha256"]
