"""What text may contain: only characters an XML document (DOCX) can hold.

XML 1.0 forbids U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE and U+FFFF; a lone
surrogate (U+D800–U+DFFF, which JSON's ``\\ud800`` escapes can smuggle in) is no character at
all and cannot even be encoded as UTF-8. Either would corrupt the DOCX or fail later (PDF,
database, hashing), so they are refused where text enters, naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import UnionType
from typing import Any, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def forbidden_char(text: str) -> tuple[int, str] | None:
    """The first character XML forbids and its position, or ``None``."""
    m = _FORBIDDEN.search(text)
    return (m.start(), m.group()) if m else None


def describe(position: int, char: str) -> str:
    """A message naming the character and where it is."""
    return (
        f"contains U+{ord(char):04X} at position {position + 1}, a character documents cannot hold"
    )


FORBIDDEN_CHARACTER = "forbidden_character"  # the problem's ``type``, wherever it is found


def xml_safe(text: str) -> str:
    """Pydantic validator: the text unchanged, or a ``ValueError`` of type
    ``forbidden_character`` naming the bad character."""
    found = forbidden_char(text)
    if found is not None:
        raise PydanticCustomError(FORBIDDEN_CHARACTER, describe(*found))
    return text


def walk_forbidden(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every place in a JSON value (keys included) holding a forbidden character."""
    if isinstance(value, str):
        found = forbidden_char(value)
        if found is not None:
            yield path, describe(*found)
    elif isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            found = forbidden_char(key_text)
            if found is not None:
                yield (*path, printable(key_text)), "the field name " + describe(*found)
                continue
            yield from walk_forbidden(item, (*path, key_text))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_forbidden(item, (*path, i))


def printable(text: str) -> str:
    """``text`` with every forbidden character replaced by U+FFFD, safe to echo and store."""
    return _FORBIDDEN.sub("\ufffd", text)


def xml_safe_or_none(text: str | None) -> str | None:
    """``xml_safe`` for optional text."""
    return None if text is None else xml_safe(text)


# Limits for fields that state none: no list or text may be unbounded (a 100,000-row list
# would be accepted, numbered and then never convert to PDF).
DEFAULT_MAX_ITEMS = 100
DEFAULT_MAX_CHARS = 4000


def bound_fields(model: type[BaseModel]) -> None:
    """Give every list and text field of ``model`` that states no limit the default one, and
    every text field the ``xml_safe`` check; called by the base classes of input models."""
    if any([_bound(info) for info in model.model_fields.values()]):
        model.model_rebuild(force=True)


def _bound(info: FieldInfo) -> bool:
    annotation = info.annotation
    if get_origin(annotation) is list:
        if any(isinstance(m, MaxLen) for m in info.metadata):
            return False
        info.metadata.append(MaxLen(DEFAULT_MAX_ITEMS))
        return True
    optional = get_origin(annotation) in (Union, UnionType) and str in get_args(annotation)
    if annotation is not str and not optional:
        return False
    added = False
    if not any(isinstance(m, MaxLen) or getattr(m, "max_length", None) for m in info.metadata):
        info.metadata.append(MaxLen(DEFAULT_MAX_CHARS))
        added = True
    if not any(getattr(m, "func", None) in (xml_safe, xml_safe_or_none) for m in info.metadata):
        info.metadata.append(AfterValidator(xml_safe_or_none if optional else xml_safe))
        added = True
    return added


def sanitized(value: Any) -> Any:
    """A JSON value with every forbidden character replaced (keys too), safe to store."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): sanitized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitized(v) for v in value]
    return value
