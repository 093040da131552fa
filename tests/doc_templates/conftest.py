"""Shared helpers for the doc_templates tests."""

from __future__ import annotations

import io

import docx
from pydantic import BaseModel

from doc_templates import Template
from doc_templates.samples import sample_data


def docx_text(data: bytes) -> list[str]:
    """Every paragraph text of body, tables, headers and footers, in document order."""
    document = docx.Document(io.BytesIO(data))
    texts: list[str] = []

    def walk(container: object) -> None:
        for block in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(block, docx.text.paragraph.Paragraph):
                texts.append(block.text)
            else:
                for row in block.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.header)
        walk(section.footer)
    return texts


def valid(template: Template) -> BaseModel:
    """The sample data of ``template`` validated into its model."""
    return template.model.model_validate(sample_data(template.code))
