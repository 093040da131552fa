"""Edits to a template DOCX as a person makes them in Word, not as our generator writes it:
a tag whose run is split in two by a style change (with Word's proofing marks between the
halves), a table moved elsewhere in the body, a sentence reworded, a paragraph set in a face
the office does not have."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from doc_templates import get_template

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


def _members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _pack(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():  # a fixed date: the same edit, the same bytes
            zf.writestr(zipfile.ZipInfo(name, (2026, 11, 30, 9, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _edit_body(docx: bytes, edit: object) -> bytes:
    members = _members(docx)
    root = etree.fromstring(members["word/document.xml"])
    edit(root.find(f"{_W}body"))  # type: ignore[operator]
    members["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return _pack(members)


def _run_with(body: etree._Element, text: str) -> etree._Element:
    for t in body.iter(f"{_W}t"):
        if t.text == text:
            return t.getparent()
    raise AssertionError(f"no run holds {text!r}")


def split_run_by_style(docx: bytes, tag: str, at: int) -> bytes:
    """Cut the run holding ``tag`` after ``at`` characters and make the second half bold, as
    selecting part of a field in Word and pressing Ctrl+B does."""

    def edit(body: etree._Element) -> None:
        run = _run_with(body, tag)
        second = etree.fromstring(etree.tostring(run))
        run.find(f"{_W}t").text = tag[:at]
        second.find(f"{_W}t").text = tag[at:]
        props = second.find(f"{_W}rPr")
        if props is None:
            props = etree.SubElement(second, f"{_W}rPr")
            second.insert(0, props)
        props.insert(0, etree.Element(f"{_W}b"))
        proof = etree.Element(f"{_W}proofErr")
        proof.set(f"{_W}type", "spellStart")
        run.addnext(proof)
        proof.addnext(second)

    return _edit_body(docx, edit)


def join_split_run(docx: bytes, tag: str, at: int) -> bytes:
    """Undo ``split_run_by_style``: the tag back in one run (what the legal section does once
    the lint names it)."""

    def edit(body: etree._Element) -> None:
        first = _run_with(body, tag[:at])
        proof = first.getnext()
        second = proof.getnext()
        first.find(f"{_W}t").text = tag
        proof.getparent().remove(proof)
        second.getparent().remove(second)

    return _edit_body(docx, edit)


def move_first_table_after_second(docx: bytes) -> bytes:
    """Drag the first table below the second one."""

    def edit(body: etree._Element) -> None:
        tables = body.findall(f"{_W}tbl")
        assert len(tables) >= 2
        tables[1].addnext(tables[0])

    return _edit_body(docx, edit)


def reword(docx: bytes, old: str, new: str) -> bytes:
    """Change a sentence of fixed text."""

    def edit(body: etree._Element) -> None:
        _run_with(body, old).find(f"{_W}t").text = new

    return _edit_body(docx, edit)


def set_face(docx: bytes, text: str, face: str) -> bytes:
    """Set the run holding ``text`` in ``face`` (Latin and East Asian)."""

    def edit(body: etree._Element) -> None:
        run = _run_with(body, text)
        props = run.find(f"{_W}rPr")
        if props is None:
            props = etree.Element(f"{_W}rPr")
            run.insert(0, props)
        fonts = props.find(f"{_W}rFonts")
        if fonts is None:
            fonts = etree.SubElement(props, f"{_W}rFonts")
        for attr in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(f"{_W}{attr}", face)

    return _edit_body(docx, edit)


def body_text(docx: bytes) -> str:
    """The body's text, paragraphs and table cells in order."""
    root = etree.fromstring(_members(docx)["word/document.xml"])
    return "".join(t.text or "" for t in root.iter(f"{_W}t"))


def builtin(code: str) -> bytes:
    """The packaged DOCX of ``code``."""
    return get_template(code).docx_path.read_bytes()
