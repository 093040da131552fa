"""HTTP routes for the template catalogue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from doc_templates import Template, all_templates
from service.audit.service import Actor
from service.deps import authorize
from service.documents.service import resolve_template

router = APIRouter(prefix="/api/v1/templates", tags=["templates"])
CanRead = Annotated[Actor, Depends(authorize("templates.read"))]


class TemplateOut(BaseModel):
    """A numbered template."""

    code: str
    name: str
    category: str
    version: str


class TemplateDetail(TemplateOut):
    """A template with the JSON Schema of its ``data``."""

    json_schema: dict[str, Any] = Field(alias="schema", serialization_alias="schema")


def _out(t: Template) -> TemplateOut:
    return TemplateOut(code=t.code, name=t.name, category=t.category, version=t.version)


@router.get("", response_model=list[TemplateOut])
def list_templates(_: CanRead) -> list[TemplateOut]:
    """The twelve numbered templates."""
    return [_out(t) for t in all_templates()]


@router.get("/{code}", response_model=TemplateDetail, response_model_by_alias=True)
def get_template(code: str, _: CanRead) -> TemplateDetail:
    """One template and the JSON Schema of the ``data`` it takes."""
    t = resolve_template(code)
    return TemplateDetail(
        code=t.code, name=t.name, category=t.category, version=t.version, schema=t.json_schema()
    )
