"""Request fields and response bodies of the materials API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from archive.materials import Filing, MaterialFormat
from service.materials.models import MaterialKind, MaterialStatus
from service.schemas import RequestModel


class MaterialMeta(RequestModel):
    """What the uploader says of a material (the file's type is found from its content)."""

    kind: MaterialKind = Field(
        title="材料类别",
        description="rectification_report 整改报告, evidence 证据材料, photo 照片, "
        "authorization 授权委托书, id_copy 身份证明复印件, recording 录音录像, other 其他材料",
    )
    title: str = Field(min_length=1, max_length=200, title="材料名称")
    made_on: date = Field(title="材料日期", description="the material's own date (形成日期)")
    author: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        title="责任者",
        description="default: the party for the party's materials, else the agency",
    )
    ref_no: str | None = Field(default=None, min_length=1, max_length=64, title="文号")


class MaterialLinks(BaseModel):
    """Where the file is."""

    file: str


class MaterialOut(BaseModel):
    """A material of a case."""

    id: int
    case_id: int
    case_no: str
    kind: MaterialKind
    kind_label: str
    title: str
    made_on: date
    author: str
    ref_no: str | None
    format: MaterialFormat = Field(description="found from the file's content")
    media_type: str
    filing: Filing = Field(
        description="pages: filed as pages of the dossier; attached: embedded in it (OFD); "
        "separate: audio or video, a locked object beside the dossier"
    )
    pages: int = Field(description="pages, or a TIFF's frames; 0 for audio and video")
    duration: float | None = Field(description="seconds, audio and video")
    filename: str = Field(description="the name it was uploaded under (not trusted)")
    size: int
    sha256: str
    status: MaterialStatus
    uploaded_at: datetime
    uploaded_by: str
    archive_key: str | None = Field(
        description="audio and video: the locked object in the archive bucket, once archived"
    )
    links: MaterialLinks
