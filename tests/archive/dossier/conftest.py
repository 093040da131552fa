"""Realistic dossier inputs: Chinese DOCX files, converted once per run by a cold LibreOffice."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK

from archive.dossier import (
    AssembledDossier,
    DossierCover,
    DossierDocument,
    DossierMaterial,
    assemble_dossier,
)
from archive.materials import Filing, probe
from tests import material_files

CATALOGUE = [
    ("01", "约谈线索核实报告"),
    ("02", "行政约谈审批表"),
    ("03", "法制审核意见书"),
    ("04", "行政约谈通知书"),
    ("05", "送达回证"),
    ("06", "约谈提纲"),
    ("07", "行政约谈记录"),
    ("08", "整改通知书"),
    ("05", "送达回证"),
    ("09", "整改跟踪台账"),
    ("10", "整改验收意见书"),
    ("11", "整改验收合格书"),
]
PDF_A2 = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def make_docx(title: str, doc_no: str, pages: int) -> bytes:
    """A Chinese official-looking DOCX of ``pages`` pages."""
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(doc_no)
    for page in range(pages):
        document.add_paragraph(
            f"第{page + 1}页。当事人某某市某某食品有限公司经营场所存在食品安全隐患，"
            "依据《中华人民共和国食品安全法》第一百一十四条，本机关决定对其进行行政约谈。" * 4
        )
        if page < pages - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Three PDF/A-2b documents of 1, 2 and 3 pages, from one cold soffice run."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("soffice")
    names = []
    for pages in (1, 2, 3):
        name = work / f"sample{pages}.docx"
        name.write_bytes(make_docx("行政约谈通知书", f"样本〔2026〕{pages}号", pages))
        names.append(str(name))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            PDF_A2,
            "--outdir",
            str(work),
            *names,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return [(work / f"sample{pages}.pdf").read_bytes() for pages in (1, 2, 3)]


@dataclass(frozen=True)
class Case:
    """A dossier's inputs and the dossier made from them."""

    cover: DossierCover
    documents: list[DossierDocument]
    manifest: dict[str, object]
    dossier: AssembledDossier


def make_cover(party: str = "某某市某某食品有限公司", **changes: object) -> DossierCover:
    """A cover of a ten-year (major) case."""
    cover = DossierCover(
        agency_name="某某市某某区市场监督管理局",
        fonds_no="J031",
        year=2026,
        retention_label="10年",
        item_no=3,
        archive_no="J031-2026-10Y-0003",
        case_no="中村约〔2026〕3号",
        party=party,
        interview_date=date(2026, 3, 12),
        verify_url="https://archive.example.gov.cn/v/J031-2026-10Y-0003?c=4f2a9b",
        cause="经营场所存在食品安全隐患",
        closed_on=date(2026, 4, 17),
        filed_by="档案员张晓",
        checked_by="法制科李强",
        filed_on=date(2026, 4, 20),
    )
    return replace(cover, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def make_documents(sample_pdfs: list[bytes]) -> Callable[[int], list[DossierDocument]]:
    """``n`` documents in time order, of 1-3 pages each, each with its own DOCX."""

    def make(count: int) -> list[DossierDocument]:
        documents = []
        for index in range(count):
            code, title = CATALOGUE[index % len(CATALOGUE)]
            doc_no = f"中村约通〔2026〕{index + 1}号"
            pdf = sample_pdfs[index % 3]
            docx = make_docx(title, doc_no, 1)
            documents.append(
                DossierDocument(
                    seq=index + 1,
                    template_code=code,
                    title=title,
                    doc_no=doc_no,
                    issued_on=date(2026, 3, 2) + timedelta(days=index),
                    pdf=pdf,
                    docx=docx,
                    sha256=hashlib.sha256(docx).hexdigest(),
                    pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                    template_version=f"{code}.v1",
                )
            )
        return documents

    return make


def make_manifest(documents: list[DossierDocument]) -> dict[str, object]:
    """What the archive service records: case metadata, document hashes, integrity report."""
    return {
        "case": {"case_no": "中村约〔2026〕3号", "party": "某某市某某食品有限公司"},
        "documents": [
            {
                "seq": doc.seq,
                "template_code": doc.template_code,
                "title": doc.title,
                "doc_no": doc.doc_no,
                "sha256": doc.sha256,
                "pdf_sha256": doc.pdf_sha256,
                "template_version": doc.template_version,
            }
            for doc in documents
        ],
        "integrity": {"checked_at": "2026-04-20T10:00:00+08:00", "findings": []},
    }


@pytest.fixture(scope="session")
def case(make_documents: Callable[[int], list[DossierDocument]]) -> Case:
    """A closed case of twelve documents, assembled once."""
    cover = make_cover()
    documents = make_documents(12)
    manifest = make_manifest(documents)
    return Case(cover, documents, manifest, assemble_dossier(cover, documents, manifest))


def pdftotext(pdf: bytes, tmp: Path, first: int, last: int) -> str:
    """Poppler's text of pages ``first``..``last``."""
    path = tmp / "dossier.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@dataclass(frozen=True)
class Filed:
    """A dossier of documents and materials of every kind, and its inputs."""

    documents: list[DossierDocument]
    materials: list[DossierMaterial]
    dossier: AssembledDossier


def make_material(
    seq: int, title: str, made_on: date, data: bytes, **changes: object
) -> DossierMaterial:
    """A material as archiving gathers it: probed, hashed, with the file (none for media)."""
    found = probe(data)
    separate = found.filing is Filing.separate
    material = DossierMaterial(
        seq=seq,
        title=title,
        made_on=made_on,
        author="某某市某某食品有限公司",
        format=found.format,
        filing=found.filing,
        media_type=found.media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=found.pages,
        data=b"" if separate else data,
        object_key=f"media/2026/J031-2026-10Y-0003/{seq}.mp4" if separate else "",
    )
    return replace(material, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def filed(
    make_documents: Callable[[int], list[DossierDocument]], sample_pdfs: list[bytes]
) -> Filed:
    """Three documents (2 March to 4 March) and eight materials around and among them."""
    documents = make_documents(3)
    day = date(2026, 3, 1)
    materials = [
        make_material(1, "整改情况报告", day + timedelta(days=1), material_files.scanned_pdf(2)),
        make_material(2, "整改承诺书", day + timedelta(days=2), sample_pdfs[1]),
        make_material(
            3,
            "现场照片（后厨）",
            day,
            material_files.jpeg(1600, 900),
            author="中村市综合行政执法局",
        ),
        make_material(4, "授权委托书", day + timedelta(days=3), material_files.png()),
        make_material(5, "营业执照复印件", day + timedelta(days=3), material_files.tiff(2)),
        make_material(6, "整改报告（电子件）", day + timedelta(days=3), material_files.ofd(2)),
        make_material(7, "约谈录像", day + timedelta(days=4), material_files.mp4(60)),
        make_material(
            8, "现场照片（竖拍）", day + timedelta(days=3), material_files.jpeg(orientation=6)
        ),
    ]
    dossier = assemble_dossier(make_cover(), documents, make_manifest(documents), materials)
    return Filed(documents, materials, dossier)
