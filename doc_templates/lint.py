"""Check templates against their field models and report every finding.

(a) every Jinja tag lies within one ``w:t`` run; (b) every variable path the DOCX uses exists
in the context or the field model; (c) every required field of the model is used; (d) the QR
slot is there and shown; (e) every font named where text is drawn is one the service renders
(:mod:`doc_templates.lint_parts`).
"""

from __future__ import annotations

import html
import re
import sys
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from doc_templates.catalogue import Template, all_templates
from doc_templates.docx_source import patch_xml, read_members, templated_parts
from doc_templates.fields.common import is_reference
from doc_templates.jinja_context import CONTEXT_KEYS, jinja_env
from doc_templates.lint_parts import qr_slot, unknown_fonts

_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>(.*?)</w:t>", re.DOTALL)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPENER = re.compile(r"\{[{%#]")


@dataclass(frozen=True)
class Finding:
    """One problem in one template part."""

    kind: str  # split-tag | syntax | unknown-variable | unused-field | qr-slot | font | docx
    part: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.part}: {self.detail}"


# -- (a) tags intact within one run --------------------------------------------------------------


def split_tags(part: str, xml: str) -> list[Finding]:
    """Tags whose text spans more than one ``w:t`` of a paragraph, or never closes."""
    findings = []
    for paragraph in _PARAGRAPH.findall(xml):
        texts = [html.unescape(t) for t in _TEXT.findall(paragraph)]
        joined = "".join(texts)
        if "{" not in joined:
            continue
        bounds, start = [], 0
        for text in texts:
            bounds.append((start, start + len(text)))
            start += len(text)
        covered = 0
        for match in _TAG.finditer(joined):
            covered = match.end()
            a, b = match.start(), match.end() - 1
            if not any(lo <= a and b < hi for lo, hi in bounds):
                findings.append(Finding("split-tag", part, f"tag split across runs: {match[0]!r}"))
        leftover = _OPENER.search(joined, covered)
        if leftover and not _TAG.search(joined, leftover.start()):
            findings.append(
                Finding("split-tag", part, f"unterminated tag: {joined[leftover.start() :][:40]!r}")
            )
    return findings


# -- (b)/(c) variables against the model ---------------------------------------------

_ANY = "any"


@dataclass(frozen=True)
class _Ref:
    """What an expression refers to: a model, list, context mapping or anything, and its path."""

    kind: Any  # type[BaseModel] | frozenset[str] | ("list", _Ref-kind) | _ANY
    path: tuple[str, ...] = ()


def _describe(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        return ("list", _describe(args[0]) if args else _ANY)
    if origin in (Union, types.UnionType):
        described = [_describe(a) for a in get_args(annotation) if a is not type(None)]
        return described[0] if len(described) == 1 else _ANY
    return _ANY


@dataclass
class _Walker:
    part: str
    model: type[BaseModel]
    findings: list[Finding] = field(default_factory=list)
    used: set[tuple[str, ...]] = field(default_factory=set)

    def root_scope(self) -> dict[str, _Ref]:
        scope = {name: _Ref(keys, (name,)) for name, keys in CONTEXT_KEYS.items()}
        scope["data"] = _Ref(self.model, ("data",))
        for name in jinja_env().globals:
            scope.setdefault(name, _Ref(_ANY))
        return scope

    def visit(self, node: nodes.Node, scope: dict[str, _Ref]) -> None:
        if isinstance(node, nodes.For):
            iterated = self.resolve(node.iter, scope, mark=False)
            item = iterated.kind[1] if isinstance(iterated.kind, tuple) else _ANY
            inner = dict(scope)
            inner["loop"] = _Ref(_ANY)
            for target in node.target.find_all(nodes.Name):
                inner[target.name] = _Ref(item, (*iterated.path, "[]"))
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = _Ref(item, (*iterated.path, "[]"))
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            self.resolve(node, scope, mark=True)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, _Ref], *, mark: bool) -> _Ref:
        if isinstance(node, nodes.Name):
            ref = scope.get(node.name)
            if ref is None:
                self.findings.append(Finding("unknown-variable", self.part, node.name))
                return _Ref(_ANY)
        elif isinstance(node, nodes.Getattr | nodes.Getitem):
            key = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
            base = self.resolve(node.node, scope, mark=False)
            if key is None:
                self.visit(node.arg, scope)  # type: ignore[union-attr]
                ref = _Ref(_ANY)
            else:
                ref = self.member(base, key)
        else:
            self.visit(node, scope)
            return _Ref(_ANY)
        if mark and ref.path:
            self.used.add(ref.path)
        return ref

    def member(self, base: _Ref, key: str) -> _Ref:
        kind, path = base.kind, (*base.path, key) if base.path else ()
        dotted = ".".join(p for p in path if p != "[]")
        if isinstance(kind, frozenset):
            if key not in kind:
                self.findings.append(Finding("unknown-variable", self.part, dotted))
            return _Ref(_ANY, path)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            info = kind.model_fields.get(key)
            if info is None:
                self.findings.append(Finding("unknown-variable", self.part, dotted))
                return _Ref(_ANY, path)
            return _Ref(_describe(info.annotation), path)
        if isinstance(kind, tuple):  # attribute of a list: not a field
            self.findings.append(Finding("unknown-variable", self.part, dotted))
        return _Ref(_ANY, path if kind != _ANY else ())


def _const(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _unused(model: Any, path: tuple[str, ...], used: set[tuple[str, ...]]) -> list[str]:
    """Required fields under ``path`` that no used path reaches (a whole use covers children)."""
    if isinstance(model, tuple):
        return _unused(model[1], (*path, "[]"), used)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    missing = []
    for name, info in model.model_fields.items():
        if not info.is_required() or is_reference(info):
            continue  # a reference is printed through the fields the service fills from it
        sub = (*path, name)
        if any(u[: len(sub)] == sub for u in used):
            if sub not in used:  # used only partly: look deeper
                missing += _unused(_describe(info.annotation), sub, used)
        elif not any(sub[: len(u)] == u for u in used):
            missing.append(".".join(p for p in sub if p != "[]"))
    return missing


# -- entry points ---------------------------------------------------------------------------------


def lint_docx(source: Path | bytes, model: type[BaseModel]) -> list[Finding]:
    """Lint a DOCX (file or bytes) against ``model``; every finding, not just the first."""
    findings: list[Finding] = []
    used: set[tuple[str, ...]] = set()
    try:
        members = read_members(source)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return [Finding("docx", "(file)", f"not a DOCX (zip) file: {exc}")]
    if "word/document.xml" not in members:
        return [Finding("docx", "(file)", "not a Word document: no word/document.xml")]
    for part in templated_parts(members):
        findings += split_tags(part.name, part.xml)
        try:
            tree = jinja_env().parse(patch_xml(part.xml))
        except jinja2.TemplateSyntaxError as exc:
            findings.append(Finding("syntax", part.name, f"line {exc.lineno}: {exc.message}"))
            continue
        walker = _Walker(part.name, model)
        walker.visit(tree, walker.root_scope())
        findings += walker.findings
        used |= walker.used
    findings += [
        Finding("unused-field", "word/document.xml", name)
        for name in _unused(model, ("data",), used)
    ]
    findings += [Finding("qr-slot", part, detail) for part, detail in qr_slot(members)]
    findings += [Finding("font", part, detail) for part, detail in unknown_fonts(members)]
    return findings


def lint_template(template: Template) -> list[Finding]:
    """Every finding for one catalogue template."""
    return lint_docx(template.docx_path, template.model)


def lint_all() -> dict[str, list[Finding]]:
    """Findings per template code (an empty list when the template is clean)."""
    return {t.code: lint_template(t) for t in all_templates()}


def main() -> int:
    """CLI: print findings; exit 1 if there are any."""
    results = lint_all()
    for code, findings in results.items():
        for finding in findings:
            print(f"{code} {finding}")
    total = sum(len(f) for f in results.values())
    print(f"{len(results)} templates, {total} findings")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
