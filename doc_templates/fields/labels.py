"""Map a pydantic error location to the Chinese label of the field it names."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds directly or inside Optional/Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _item_type(annotation: Any) -> Any:
    """The element type of list[X] / Optional[list[X]], or None."""
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return args[0] if args else None
    if origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            item = _item_type(arg)
            if item is not None:
                return item
    return None


def field_label(model: type[BaseModel], loc: tuple[str | int, ...]) -> str | None:
    """Chinese title of the deepest field named by a pydantic error ``loc``."""
    label: str | None = None
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            annotation = _item_type(annotation)
            continue
        current = _model_in(annotation)
        if current is None or part not in current.model_fields:
            continue  # union tags such as "function-after[...]" or unknown keys
        info = current.model_fields[part]
        label = info.title or label
        annotation = info.annotation
    return label
