"""HTTP routes for materials."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Response, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, StringConstraints, ValidationError

from archive.materials import EXTENSIONS
from archive.objects import content_disposition
from doc_templates.text_rules import xml_safe
from service.audit.service import Actor, record
from service.cases.service import get_case
from service.db import reading
from service.deps import CaseId, MaterialId, ReadSessionDep, RuntimeDep, authorize
from service.downloads import audited_stream
from service.errors import FieldError, NotFound
from service.materials import repository, service
from service.materials.models import KIND_LABELS, Material, MaterialKind, MaterialStatus
from service.materials.schemas import MaterialLinks, MaterialMeta, MaterialOut
from service.openapi import errors
from service.validation import validation_problems

router = APIRouter(prefix="/api/v1", tags=["materials"])

UPLOAD_PATH = re.compile(r"/api/v1/cases/[^/]+/materials")
FORM_OVERHEAD = 64 * 1024  # the metadata fields and multipart boundaries around the file
_CHUNK = 1024 * 1024

SafeText = Annotated[str, AfterValidator(xml_safe)]
Author = Annotated[str, AfterValidator(xml_safe), StringConstraints(min_length=1, max_length=200)]
RefNo = Annotated[str, AfterValidator(xml_safe), StringConstraints(min_length=1, max_length=64)]


def material_out(m: Material, case_no: str) -> MaterialOut:
    """API view of a material."""
    return MaterialOut(
        id=m.id,
        case_id=m.case_id,
        case_no=case_no,
        kind=m.kind,
        kind_label=KIND_LABELS[m.kind],
        title=m.title,
        made_on=m.made_on,
        author=m.author,
        ref_no=m.ref_no,
        format=m.format,
        media_type=m.media_type,
        filing=m.filing,
        pages=m.pages,
        duration=m.duration,
        filename=m.filename,
        size=m.size,
        sha256=m.sha256,
        status=m.status,
        uploaded_at=m.uploaded_at,
        uploaded_by=m.uploaded_by,
        archive_key=m.archive_key,
        links=MaterialLinks(file=f"/api/v1/materials/{m.id}/file"),
    )


@router.post(
    "/cases/{case_id}/materials",
    status_code=status.HTTP_201_CREATED,
    response_model=MaterialOut,
    responses={
        200: {"model": MaterialOut, "description": "Replay of an Idempotency-Key"},
        **errors(413),
    },
)
def upload_material(
    case_id: CaseId,
    response: Response,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("materials.upload"))],
    file: Annotated[
        UploadFile,
        File(
            description="PDF, JPEG, PNG, TIFF, OFD, MP3, M4A, WAV or MP4, told by content",
            json_schema_extra={"format": "binary"},
        ),
    ],
    kind: Annotated[MaterialKind, Form(title="材料类别")],
    title: Annotated[SafeText, Form(min_length=1, max_length=200, title="材料名称")],
    made_on: Annotated[date, Form(alias="date", title="材料日期")],
    author: Annotated[Author | None, Form(title="责任者")] = None,
    ref_no: Annotated[RefNo | None, Form(title="文号")] = None,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", min_length=1, max_length=128),
    ] = None,
) -> MaterialOut:
    """File a material with a case (201): its type is found from its content and proven by
    parsing it — a broken, truncated or encrypted PDF, or a file of another type, is a 422
    naming the problem; over ``ANJUAN_MATERIAL_MAX_BYTES`` a 413 — then it is stored with its
    SHA-256 and recorded with an audit entry. Audio and video are kept beside the dossier at
    archiving, everything else is filed in it. A repeated ``Idempotency-Key`` replays (200)."""
    try:
        meta = MaterialMeta(kind=kind, title=title, made_on=made_on, author=author, ref_no=ref_no)
    except ValidationError as exc:
        raise FieldError(validation_problems(exc, MaterialMeta)) from None
    limit = runtime.settings.material_max_bytes
    data = bytearray()
    while chunk := file.file.read(_CHUNK):  # already received and spooled: a sync read
        data += chunk
        if len(data) > limit:
            raise service.MaterialTooLarge(f"the file is over {limit} bytes, the material limit")
    material, created = service.upload_material(
        runtime.sessions,
        runtime.settings,
        runtime.documents,
        actor,
        case_id,
        meta,
        file.filename or "",
        bytes(data),
        idempotency_key,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    with reading(runtime.sessions) as session:
        return material_out(material, get_case(session, material.case_id).case_no)


@router.get("/cases/{case_id}/materials", response_model=list[MaterialOut])
def list_case_materials(
    case_id: CaseId,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("materials.read"))],
) -> list[MaterialOut]:
    """A case's materials in upload order."""
    case = get_case(session, case_id)
    return [material_out(m, case.case_no) for m in repository.list_for_case(session, case.id)]


@router.get("/materials/{material_id}", response_model=MaterialOut)
def get_material(
    material_id: MaterialId,
    session: ReadSessionDep,
    _: Annotated[Actor, Depends(authorize("materials.read"))],
) -> MaterialOut:
    """One material."""
    m = service.get_material(session, material_id)
    return material_out(m, get_case(session, m.case_id).case_no)


@router.get(
    "/materials/{material_id}/file",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file"}},
)
def download_material(
    material_id: MaterialId,
    runtime: RuntimeDep,
    actor: Annotated[Actor, Depends(authorize("materials.download"))],
) -> StreamingResponse:
    """The file byte for byte as its SHA-256 says; the read is recorded."""
    with reading(runtime.sessions) as session:
        m = service.get_material(session, material_id)
    if m.status == MaterialStatus.destroyed:
        raise NotFound(f"material {material_id} was destroyed with its archive")
    name = f"{m.title}.{EXTENSIONS[m.format]}"
    return audited_stream(
        runtime.sessions,
        runtime.documents,
        m.storage_key,
        lambda session: record(
            session, actor, "material.download", "material", m.id, {"sha256": m.sha256}
        ),
        media_type=m.media_type,
        headers={
            "Content-Disposition": content_disposition(name, fallback=f"material-{m.id}"),
            "X-Content-SHA256": m.sha256,
        },
    )
