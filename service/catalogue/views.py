"""HTTP routes for the template catalogue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from doc_templates import Template, all_templates
from service.audit.service import Actor
from service.deps import ReadSessionDep, TemplateCode, authorize
from service.documents.service import resolve_template
from service.templates import repository
from service.templates.models import TemplateVersion

router = APIRouter(prefix="/api/v1/templates", tags=["templates"])
CanRead = Annotated[Actor, Depends(authorize("templates.read"))]


class TemplateOut(BaseModel):
    """A numbered template and the version documents are rendered with now."""

    code: str
    name: str
    category: str
    pack: str = Field(description="the template pack (a case uses one): interview, …")
    version: str = Field(description="the active version (see /templates/{code}/versions)")


class TemplateDetail(TemplateOut):
    """A template with the JSON Schema of its ``data``."""

    json_schema: dict[str, Any] = Field(alias="schema", serialization_alias="schema")


def _version(t: Template, active: TemplateVersion | None) -> str:
    # before the registry's seed (first start, first document) the packaged DOCX is the one
    return active.version if active is not None else t.version


@router.get("", response_model=list[TemplateOut])
def list_templates(session: ReadSessionDep, _: CanRead) -> list[TemplateOut]:
    """Every template of every pack, with the version new documents are rendered with."""
    active = repository.active_all(session)
    return [
        TemplateOut(
            code=t.code,
            name=t.name,
            category=t.category,
            pack=t.pack,
            version=_version(t, active.get(t.code)),
        )
        for t in all_templates()
    ]


@router.get("/{code}", response_model=TemplateDetail, response_model_by_alias=True)
def get_template(code: TemplateCode, session: ReadSessionDep, _: CanRead) -> TemplateDetail:
    """One template, its active version and the JSON Schema of the ``data`` it takes."""
    t = resolve_template(code)
    return TemplateDetail(
        code=t.code,
        name=t.name,
        category=t.category,
        pack=t.pack,
        version=_version(t, repository.active(session, t.code)),
        schema=t.json_schema(),
    )
