"""A document's form, generated from its template's JSON schema, and the form's data back.

Field names are the paths the API's 422 names (``interviewers[0].name``, without ``data.``),
so an error is shown beside the field it is about. Lists of words are one per line; lists of
records show the prefilled rows and one empty row (an empty row is dropped on the way back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Schema = dict[str, Any]
TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
MAX_TEXT = 200  # longer strings get a text area


@dataclass
class Field:
    """One input (or group of inputs) of a document form."""

    name: str
    label: str
    kind: str  # text, textarea, lines, date, datetime, number, bool, select, group, rows
    value: Any = None
    required: bool = False
    help: str = ""
    options: list[str] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)  # group: its fields
    rows: list[list[Field]] = field(default_factory=list)  # rows: one field list per record


def resolve(root: Schema, node: Schema) -> Schema:
    """``node`` with ``$ref`` followed and an optional (``anyOf`` with null) unwrapped."""
    while True:
        if "$ref" in node:
            target = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        elif "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            node = {**options[0], **rest} if options else rest
        else:
            return node


def _kind(node: Schema, item: Schema | None) -> str:
    t = node.get("type")
    if "enum" in node:
        return "select"
    if t == "boolean":
        return "bool"
    if t in ("integer", "number"):
        return "number"
    if t == "array":
        return "rows" if item is not None and item.get("type") == "object" else "lines"
    if t == "object":
        return "group"
    fmt = node.get("format")
    if fmt == "date":
        return "date"
    if fmt == "date-time":
        return "datetime"
    long = node.get("maxLength", 0) > MAX_TEXT and "pattern" not in node
    return "textarea" if long else "text"


def fields(root: Schema, node: Schema, value: Any, prefix: str = "") -> list[Field]:
    """The fields of an object schema, filled with ``value``."""
    node = resolve(root, node)
    required = set(node.get("required", []))
    values = value if isinstance(value, dict) else {}
    out = []
    for key, prop in node.get("properties", {}).items():
        out.append(_field(root, prop, values.get(key), f"{prefix}{key}", key in required))
    return out


def _field(root: Schema, raw: Schema, value: Any, name: str, required: bool) -> Field:
    node = resolve(root, raw)
    item = resolve(root, node["items"]) if node.get("type") == "array" and "items" in node else None
    kind = _kind(node, item)
    f = Field(
        name=name,
        label=node.get("title") or name,
        kind=kind,
        required=required,
        help=node.get("description", ""),
        options=[str(o) for o in node.get("enum", [])],
    )
    if kind == "group":
        f.children = fields(root, node, value, f"{name}.")
    elif kind == "rows":
        assert item is not None
        records = value if isinstance(value, list) else []
        limit = node.get("maxItems", 1000)
        count = len(records) + (1 if len(records) < limit else 0)
        f.rows = [
            fields(root, item, records[i] if i < len(records) else None, f"{name}[{i}].")
            for i in range(count)
        ]
    elif kind == "lines":
        f.value = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
    elif kind == "bool":
        f.value = "" if value is None else ("true" if value else "false")
    elif kind == "datetime":
        f.value = str(value)[:16] if value else ""
    else:
        f.value = "" if value is None else str(value)
    return f


def _tokens(name: str) -> list[str | int]:
    return [key if key else int(index) for key, index in TOKEN.findall(name)]


def _schema_at(root: Schema, node: Schema, path: list[str | int]) -> Schema | None:
    for token in path:
        node = resolve(root, node)
        if isinstance(token, int):
            if "items" not in node:
                return None
            node = node["items"]
        else:
            props = node.get("properties", {})
            if token not in props:
                return None
            node = props[token]
    return resolve(root, node)


def _convert(node: Schema, raw: str) -> Any:
    t = node.get("type")
    if t == "array":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    raw = raw.strip()
    if raw == "":
        return None
    if t == "boolean":
        return raw == "true"
    if t == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw  # the model names it
    if t == "number":
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw


def _put(target: Any, path: list[str | int], value: Any) -> Any:
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        target = target if isinstance(target, list) else []
        while len(target) <= head:
            target.append(None)
        target[head] = _put(target[head], rest, value) if rest else value
    else:
        target = target if isinstance(target, dict) else {}
        target[head] = _put(target.get(head), rest, value) if rest else value
    return target


def _prune(value: Any) -> Any:
    """Drop empty answers, empty records and the empty spare row."""
    if isinstance(value, dict):
        out = {k: p for k, v in value.items() if (p := _prune(v)) is not None}
        return out or None
    if isinstance(value, list):
        items = [p for v in value if (p := _prune(v)) is not None]
        return items
    return value


def data_from(root: Schema, form: dict[str, str]) -> dict[str, Any]:
    """The document's data from the posted form fields (named by their paths)."""
    data: Any = {}
    for name, raw in form.items():
        path = _tokens(name)
        node = _schema_at(root, root, path) if path else None
        if node is None:
            continue  # not a field of this template (the CSRF token, the date …)
        data = _put(data, path, _convert(node, raw))
    pruned = _prune(data)
    return pruned if isinstance(pruned, dict) else {}


def field_errors(problems: list[dict[str, Any]]) -> dict[str, str]:
    """The API's 422 problems by field name (``data.`` dropped), in Chinese where given."""
    out: dict[str, str] = {}
    for p in problems:
        name = str(p.get("field", "")).removeprefix("data.").removeprefix("data")
        message = str(p.get("message", ""))
        out[name] = f"{out[name]}；{message}" if name in out else message
    return out
