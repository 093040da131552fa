"""The built-in catalogue of the twelve numbered templates."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from doc_templates.context import CATEGORY_LABELS, Category
from doc_templates.fields import SPECS
from doc_templates.spec import TemplateSpec

DOCX_DIR = Path(__file__).resolve().parent / "docx"


class UnknownTemplate(KeyError):
    """No template has the requested code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"unknown template code {self.code!r}"


@dataclass(frozen=True)
class Template:
    """A numbered template: its DOCX, its field model and a content version."""

    code: str
    name: str
    category: Category
    model: type[BaseModel] = field(repr=False)
    docx_path: Path = field(repr=False)
    spec: TemplateSpec = field(repr=False)

    @property
    def pack(self) -> str:
        """The pack the template belongs to."""
        return self.spec.pack

    @property
    def type_code(self) -> str:
        """Its 文号 type code (类型代字), unless settings name another."""
        return self.spec.type_code

    @property
    def category_label(self) -> str:
        """启动类 / 实施类 / 结果类."""
        return CATEGORY_LABELS[self.category]

    def json_schema(self) -> dict[str, Any]:
        """The field model's JSON Schema (titles and descriptions in Chinese)."""
        return self.model.model_json_schema()

    @cached_property
    def version(self) -> str:
        """The version of the packaged (built-in) DOCX: see ``version_of``."""
        return version_of(self.docx_path.read_bytes(), self.model)


def version_of(docx: bytes, model: type[BaseModel]) -> str:
    """A template version: SHA-256 (hex) over the DOCX bytes and the canonical JSON of the
    field model's schema — a change to either is a new version."""
    digest = hashlib.sha256(docx)
    schema = json.dumps(
        model.model_json_schema(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest.update(b"\x00")
    digest.update(schema.encode("utf-8"))
    return digest.hexdigest()


@cache
def _catalogue() -> dict[str, Template]:
    return {
        spec.code: Template(
            code=spec.code,
            name=spec.name,
            category=spec.category,
            model=spec.model,
            docx_path=DOCX_DIR / f"{spec.code}.docx",
            spec=spec,
        )
        for spec in SPECS
    }


def get_template(code: str) -> Template:
    """The template numbered ``code`` ("01" … "12"); raises UnknownTemplate."""
    try:
        return _catalogue()[code]
    except KeyError:
        raise UnknownTemplate(code) from None


def all_templates() -> list[Template]:
    """Every template in code order."""
    return list(_catalogue().values())
