"""The dossier's inputs and outputs: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from archive.materials import Filing, MaterialFormat


@dataclass(frozen=True)
class DossierDocument:
    """One issued document of the case, with its rendered PDF and its source DOCX."""

    seq: int
    template_code: str
    title: str
    doc_no: str
    issued_on: date
    pdf: bytes
    docx: bytes
    sha256: str  # of the DOCX
    pdf_sha256: str
    template_version: str
    made_on: date | None = None  # 成文日期 (the act's date); None: the issuing date
    author: str = ""  # 责任者; "": the agency on the cover
    remark: str = ""  # 备注 in the 卷内文书清单

    @property
    def dated(self) -> date:
        """The document's date in the file: its 成文日期 when known, else the issuing date."""
        return self.made_on or self.issued_on


@dataclass(frozen=True)
class DossierMaterial:
    """A material of the case that is not a rendered document (整改报告, photos, 授权委托书…).

    ``filing`` says where it goes: its pages among the documents' (``data`` is the file,
    embedded beside them too), only embedded (OFD), or a separate locked object (audio and
    video: ``data`` is empty, the manifest and the 清单 carry its hash).
    """

    seq: int
    title: str
    made_on: date  # the material's own date (形成日期): it is filed in date order
    author: str  # 责任者
    format: MaterialFormat
    filing: Filing
    media_type: str
    sha256: str
    size: int
    pages: int = 0  # as recorded at upload: pages, or a TIFF's frames
    data: bytes = b""
    doc_no: str = ""  # the material's own number, when it has one
    remark: str = ""  # 备注; "": one that says where audio, video and OFD files are
    object_key: str = ""  # separate media: where the locked object is


@dataclass(frozen=True)
class DossierCover:
    """The fields of the archive cover (档案封面) and its filing stamp (归档章)."""

    agency_name: str
    fonds_no: str  # 全宗号
    year: int
    retention_label: str  # 保管期限: "永久", "10年", "5年"
    item_no: int  # 件号
    archive_no: str  # 档号
    case_no: str  # 案号
    party: str  # 当事人
    interview_date: date | None  # the pack's key date (约谈日期, 指导日期 …)
    verify_url: str  # encoded in the cover's QR code
    title: str = "行政约谈案件档案"  # per pack
    date_label: str = "约谈日期"  # per pack
    cause: str = ""  # 案由
    closed_on: date | None = None  # 结案日期
    filed_by: str = ""  # 立卷人: who archived the case
    checked_by: str = ""  # 检查人
    filed_on: date | None = None  # 立卷时间; None: the day the dossier is assembled
    voided: tuple[str, ...] = ()  # 卷内备考表: documents voided, one line each
    supplemented: tuple[str, ...] = ()  # 卷内备考表: documents filed later, one line each


@dataclass(frozen=True)
class AssembledDossier:
    """The one PDF of a closed case."""

    pdf: bytes
    sha256: str
    page_count: int
    ranges: list[tuple[int, int]]  # per document, 1-based first and last page in the dossier
    page_numbers: list[tuple[int, int]] = field(default_factory=list)  # per document, 页号
    front_pages: int = 0  # cover and 卷内文书清单, not numbered
    back_pages: int = 0  # 卷内备考表, not numbered
    # per material, in filing order: pages in the file and 页号 (None: not filed as pages)
    material_ranges: list[tuple[int, int] | None] = field(default_factory=list)
    material_page_numbers: list[tuple[int, int] | None] = field(default_factory=list)
    items: int = 0  # 件数: documents and materials listed
    filed_ranges: list[tuple[int, int]] = field(default_factory=list)  # all paged, in order

    @property
    def document_pages(self) -> int:
        """页数: the numbered pages, the documents' own."""
        return self.page_count - self.front_pages - self.back_pages


@dataclass(frozen=True)
class OutlineEntry:
    """A top-level bookmark and the 1-based page it opens (0 when the target is gone)."""

    title: str
    page: int


@dataclass(frozen=True)
class FontInfo:
    """A font resource used by some page, and whether its program is embedded."""

    name: str
    subtype: str
    embedded: bool


@dataclass(frozen=True)
class DossierInspection:
    """What a dossier PDF holds, and every problem found in it (empty ``findings``: sound)."""

    opens: bool
    page_count: int = 0
    outline: list[OutlineEntry] = field(default_factory=list)
    attachments: dict[str, str] = field(default_factory=dict)  # name -> SHA-256 of the bytes
    manifest: dict[str, Any] | None = None
    fonts: list[FontInfo] = field(default_factory=list)
    pdfa_part: int | None = None
    pdfa_conformance: str | None = None
    findings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return not self.findings

    @property
    def outline_titles(self) -> list[str]:
        """The bookmark titles in order."""
        return [entry.title for entry in self.outline]
