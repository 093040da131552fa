"""Render a template with a case context and validated data into DOCX bytes.

``render_docx`` is the fast path: each template is loaded, cleaned with docxtpl's own
``patch_xml`` and compiled into Jinja templates once; a render only runs those templates
and writes a zip in which unchanged members are copied pre-compressed. ``render_docx_naive``
is the plain docxtpl reference the fast path is tested and benchmarked against.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree
from pydantic import BaseModel

from doc_templates.catalogue import Template
from doc_templates.context import RenderContext
from doc_templates.docx_source import finish_xml, patch_xml, read_members, templated_parts
from doc_templates.jinja_context import jinja_context, jinja_env
from doc_templates.qr import qr_png
from doc_templates.zipwriter import Member, write_zip

QR_PART = "word/media/qr.png"
_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


class RenderError(Exception):
    """The template could not be rendered with the given data."""


@dataclass(frozen=True)
class _Slot:
    """A position in the output zip: a fixed member, a templated XML part or a filled-in one."""

    name: str
    member: Member | None = None
    template: jinja2.Template | None = None


class CompiledDocx:
    """A DOCX template compiled once: its XML parts as Jinja templates, the rest pre-deflated.

    ``render`` only runs the Jinja templates and writes the zip; members named in ``fill_in``
    (e.g. the QR image) are supplied by each render instead of copied from the template.
    """

    def __init__(self, slots: tuple[_Slot, ...]) -> None:
        self._slots = slots

    @classmethod
    def load(cls, source: Path | bytes, *, fill_in: Collection[str] = ()) -> CompiledDocx:
        """Read and compile a DOCX (file or bytes) with the shared Jinja environment."""
        try:
            members = read_members(source)
        except (zipfile.BadZipFile, OSError) as exc:
            raise RenderError(f"not a DOCX file: {exc}") from exc
        missing = [name for name in fill_in if name not in members]
        if missing:
            raise RenderError(f"the DOCX has no {', '.join(missing)}")
        templated = {part.name: part for part in templated_parts(members)}
        env = jinja_env()
        slots = []
        for name, raw in members.items():
            if name in templated:
                xml = templated[name].xml
                xml = xml[xml.index("?>") + 2 :].lstrip() if xml.startswith("<?xml") else xml
                slots.append(_Slot(name, template=env.from_string(patch_xml(xml))))
            elif name in fill_in:
                slots.append(_Slot(name))
            else:
                slots.append(_Slot(name, member=Member.deflated(name, raw, level=6)))
        return cls(tuple(slots))

    def render(self, context: Mapping[str, Any], fill: Mapping[str, bytes] | None = None) -> bytes:
        """DOCX bytes for ``context``; ``fill`` gives the filled-in members, stored as is.

        Raises ``jinja2.TemplateError`` when the context does not fit the template.
        """
        out: list[Member] = []
        for slot in self._slots:
            if slot.member is not None:
                out.append(slot.member)
            elif slot.template is not None:
                xml = finish_xml(slot.template.render(context))
                if slot.name == "word/document.xml" and "<wp:docPr " in xml:
                    xml = _renumber_docpr(xml)
                out.append(Member.deflated(slot.name, (_XML_DECLARATION + xml).encode("utf-8")))
            else:
                out.append(Member.stored(slot.name, (fill or {})[slot.name]))
        return write_zip(out)


@dataclass(frozen=True)
class Revision:
    """Which DOCX renders a template: its version and how to read its bytes (read only when
    that version is not compiled yet). Without one, a template renders its packaged DOCX."""

    version: str
    load: Callable[[], bytes]


def builtin_revision(template: Template) -> Revision:
    """The packaged DOCX of ``template``."""
    return Revision(template.version, template.docx_path.read_bytes)


_CACHE_SIZE = 256  # compiled versions kept: every template's few live versions, many times over
_cache: OrderedDict[tuple[str, str], CompiledDocx] = OrderedDict()
_lock = threading.Lock()


def _prepare(template: Template, revision: Revision) -> CompiledDocx:
    key = (template.code, revision.version)
    with _lock:
        prepared = _cache.get(key)
        if prepared is not None:
            _cache.move_to_end(key)
            return prepared
    try:  # outside the lock: reading a stored version may take a round trip
        prepared = CompiledDocx.load(revision.load(), fill_in=(QR_PART,))
    except RenderError as exc:
        raise RenderError(f"template {template.code}: {exc}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template {template.code}: line {exc.lineno}: {exc}") from exc
    with _lock:
        prepared = _cache.setdefault(key, prepared)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return prepared


def _renumber_docpr(xml: str) -> str:
    """docxtpl's fix_docpr_ids: unique drawing ids once loops may have copied pictures."""
    root = etree.fromstring(xml.encode("utf-8"))
    body = root.find(f"{{{_W_NS}}}body")
    scope = body if body is not None else root
    for number, elt in enumerate(scope.iter(f"{{{_WP_NS}}}docPr"), start=1001):
        elt.set("id", str(number))
    return etree.tostring(root, encoding="unicode")


def render_docx(
    template: Template, ctx: RenderContext, data: BaseModel, revision: Revision | None = None
) -> bytes:
    """Render ``template`` (its ``revision``, else its packaged DOCX) for ``ctx`` and ``data``
    into DOCX bytes (fast path)."""
    _check_model(template, data)
    prepared = _prepare(template, revision or builtin_revision(template))
    context = jinja_context(template.code, template.name, ctx, data)
    try:
        return prepared.render(context, {QR_PART: qr_png(ctx.verify_url)})
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {template.code}: {exc}") from exc


def render_docx_naive(template: Template, ctx: RenderContext, data: BaseModel) -> bytes:
    """Reference implementation: DocxTemplate(path).render(...).save(), then set the QR."""
    _check_model(template, data)
    tpl = DocxTemplate(template.docx_path)
    context = jinja_context(template.code, template.name, ctx, data)
    tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return replace_member(buffer.getvalue(), QR_PART, qr_png(ctx.verify_url))


def replace_member(docx: bytes, name: str, content: bytes) -> bytes:
    """A copy of the zip ``docx`` with member ``name`` replaced by ``content``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = content if info.filename == name else zin.read(info)
            zout.writestr(info, body)
    return out.getvalue()


def _check_model(template: Template, data: BaseModel) -> None:
    if not isinstance(data, template.model):
        raise TypeError(
            f"template {template.code} expects {template.model.__name__}, got {type(data).__name__}"
        )
