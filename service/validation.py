"""Turn pydantic validation errors into the API's field problems.

Each problem is ``{"field": "data.items[0].deadline", "message": ..., "label": "整改期限"}``
so that a clerk's screen can point at the field in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from doc_templates import field_label
from doc_templates.text_rules import FORBIDDEN_CHARACTER, walk_forbidden
from service.errors import FieldError


def field_path(loc: Sequence[str | int]) -> str:
    """``("data", "items", 0, "deadline")`` → ``data.items[0].deadline``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems(
    errors: Iterable[Mapping[str, Any]],
    model: type[BaseModel] | None,
    *,
    prefix: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Field problems for pydantic error dicts, labelled from ``model``'s field titles."""
    out = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        label = field_label(model, loc) if model is not None else None
        out.append(
            {
                "field": field_path((*prefix, *loc)) or "body",
                "message": err.get("msg", "invalid"),
                "type": err.get("type", "value_error"),
                "label": label,
            }
        )
    return out


def validation_problems(
    exc: ValidationError, model: type[BaseModel], prefix: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Field problems of a failed ``model.model_validate``."""
    return problems(exc.errors(include_url=False, include_input=False), model, prefix=prefix)


def forbidden_problems(
    value: Any, model: type[BaseModel] | None, *, prefix: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """A problem for every place in a raw JSON value holding a character documents cannot
    hold (checked before anything hashes, stores or renders it)."""
    return [
        {
            "field": field_path((*prefix, *loc)) or "body",
            "message": message,
            "type": FORBIDDEN_CHARACTER,
            "label": field_label(model, loc) if model is not None else None,
        }
        for loc, message in walk_forbidden(value)
    ]


def reject_forbidden(
    value: Any, model: type[BaseModel] | None, *, prefix: Sequence[str] = ()
) -> None:
    """422 naming every field of ``value`` that holds a forbidden character."""
    found = forbidden_problems(value, model, prefix=prefix)
    if found:
        raise FieldError(found)
