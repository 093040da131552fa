"""Materials (案件材料): files of a case that are not rendered documents — the party's 整改报告,
evidence photos and scans, 授权委托书, the party's ID copy, recordings of the interview."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from archive.materials import Filing, MaterialFormat
from service.db import Base, UtcDateTime


class MaterialKind(StrEnum):
    """What a material is."""

    rectification_report = "rectification_report"  # 整改报告
    evidence = "evidence"  # 证据材料
    photo = "photo"  # 照片
    authorization = "authorization"  # 授权委托书
    id_copy = "id_copy"  # 身份证明复印件
    recording = "recording"  # 录音录像
    other = "other"  # 其他材料


KIND_LABELS = {
    MaterialKind.rectification_report: "整改报告",
    MaterialKind.evidence: "证据材料",
    MaterialKind.photo: "照片",
    MaterialKind.authorization: "授权委托书",
    MaterialKind.id_copy: "身份证明复印件",
    MaterialKind.recording: "录音录像",
    MaterialKind.other: "其他材料",
}
# Materials the party makes: their 责任者 is the party unless the uploader says otherwise.
PARTY_KINDS = frozenset(
    {MaterialKind.rectification_report, MaterialKind.authorization, MaterialKind.id_copy}
)


class MaterialStatus(StrEnum):
    """Whether the material is still stored."""

    stored = "stored"
    destroyed = "destroyed"


class Material(Base):
    """One material of a case: its file in the documents bucket, and, once a case with audio
    or video is archived, that file's locked copy in the archive bucket."""

    __tablename__ = "materials"
    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[MaterialKind] = mapped_column(
        Enum(MaterialKind, native_enum=False, length=32, name="material_kind")
    )
    title: Mapped[str] = mapped_column(String(200))
    made_on: Mapped[date] = mapped_column(Date)  # the material's own date (形成日期)
    author: Mapped[str] = mapped_column(String(200))  # 责任者
    ref_no: Mapped[str | None] = mapped_column(String(64))  # its own number, if any
    format: Mapped[MaterialFormat] = mapped_column(
        Enum(MaterialFormat, native_enum=False, length=8, name="material_format")
    )
    filing: Mapped[Filing] = mapped_column(
        Enum(Filing, native_enum=False, length=16, name="material_filing")
    )
    media_type: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column(Float)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded; never trusted
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    storage_version: Mapped[str | None] = mapped_column(String(128))
    # audio and video: the locked object beside the dossier, once archived
    archive_key: Mapped[str | None] = mapped_column(String(300))
    archive_version: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[MaterialStatus] = mapped_column(
        Enum(MaterialStatus, native_enum=False, length=16, name="material_status"),
        default=MaterialStatus.stored,
    )
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    client_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    request_hash: Mapped[str | None] = mapped_column(String(64))
