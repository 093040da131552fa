"""Documents that name other documents name them by id: 05 the document it serves, 09/10/11
their 整改通知书, 12 the interview record it cites as evidence. The service checks each belongs
to the case (and is of the kind named, and in effect) and fills what the template prints of it
— the title and the 文号 are never typed again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from doc_templates import get_template
from doc_templates.fields.common import REFERENCE
from service.documents import repository as documents
from service.documents.models import Document, DocumentStatus
from service.errors import FieldError
from service.validation import field_path

# What a reference fills beside it, from the document it names (only fields the model has).
FILLS: dict[str, dict[str, str]] = {
    "document_id": {"title": "name", "doc_no": "doc_no"},
    "notice_id": {"notice_no": "doc_no"},
}


@dataclass
class Resolved:
    """The data with references filled, and the documents they name."""

    data: dict[str, Any]
    documents: list[Document] = field(default_factory=list)


def resolve(
    session: Session, case_id: int, model: type[BaseModel], data: dict[str, Any]
) -> Resolved:
    """Check and fill every reference in ``data`` (a raw, JSON-like copy is returned);
    422 naming each reference that is not a document of this case of the right kind."""
    out = Resolved(_copy(data))
    problems: list[dict[str, Any]] = []
    _walk(session, case_id, model, out.data, ("data",), out, problems)
    if problems:
        raise FieldError(problems)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _walk(
    session: Session,
    case_id: int,
    model: type[BaseModel],
    data: dict[str, Any],
    path: tuple[str | int, ...],
    out: Resolved,
    problems: list[dict[str, Any]],
) -> None:
    for name, info in model.model_fields.items():
        value = data.get(name)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and REFERENCE in extra:
            want = str(extra[REFERENCE])
            doc = _check(session, case_id, value, want, (*path, name), info.title, problems)
            if doc is not None:
                out.documents.append(doc)
                for target, source in FILLS.get(name, {}).items():
                    if target in model.model_fields:
                        data[target] = _attribute(doc, source)
            continue
        sub = _submodel(info.annotation)
        if sub is None:
            continue
        if isinstance(value, dict):
            _walk(session, case_id, sub, value, (*path, name), out, problems)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _walk(session, case_id, sub, item, (*path, name, i), out, problems)


def _submodel(annotation: Any) -> type[BaseModel] | None:
    args = getattr(annotation, "__args__", None)
    candidates = [annotation, *(args or ())]
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
    return None


def _attribute(doc: Document, source: str) -> str:
    return get_template(doc.template_code).name if source == "name" else str(doc.doc_no)


def _check(
    session: Session,
    case_id: int,
    value: Any,
    want: str,
    path: tuple[str | int, ...],
    label: str | None,
    problems: list[dict[str, Any]],
) -> Document | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None  # the model's own validation names a missing or malformed id
    doc = documents.get(session, value)
    kind = "" if want == "*" else f"{get_template(want).name} ({want}) "
    message = None
    if doc is None or doc.case_id != case_id:
        message = f"document {value} is not a {kind}document of this case"
    elif want != "*" and doc.template_code != want:
        message = f"document {value} is a {doc.template_code}, not a {kind.strip()}"
    elif doc.status in (DocumentStatus.superseded, DocumentStatus.destroyed):
        message = f"document {value} ({doc.doc_no}) is {doc.status.value}"
    if message is not None:
        problems.append(
            {"field": field_path(path), "message": message, "type": "reference", "label": label}
        )
        return None
    return doc
