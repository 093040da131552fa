"""Shared helpers for the doc_templates tests, and the stress data of every template."""

from __future__ import annotations

import io
import random
from typing import Any

import docx
from pydantic import BaseModel

from doc_templates import Template
from doc_templates.context import PartyFacts, RenderContext
from doc_templates.samples import sample_context, sample_data


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


# --- stress data -----------------------------------------------------------------------
# Every generated text draws its characters, in a random but fixed order, from an alphabet of
# its own in CJK Extension A, which no template text uses. Keeping only one value's alphabet
# out of a PDF's text gives that value back exactly when nothing was lost, doubled or
# reordered, even where pdftotext interleaves the lines of cells side by side.

PARAGRAPH, STANDARD, PARTY = 2000, 666, 60
EVIDENCE_ROWS, ITEMS = 20, 15
_EXT_A, _ALPHABET = 0x3400, 24


class Texts:
    """A source of unique texts; remembers every one it made, in the order made."""

    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)
        self.made: list[str] = []

    def __call__(self, length: int) -> str:
        start = _EXT_A + len(self.made) * _ALPHABET
        alphabet = [chr(code) for code in range(start, start + _ALPHABET)]
        text = "".join(self.random.choice(alphabet) for _ in range(length))
        self.made.append(text)
        return text

    def many(self, count: int, length: int) -> list[str]:
        """``count`` texts of ``length`` characters."""
        return [self(length) for _ in range(count)]

    @staticmethod
    def alphabet(text: str) -> frozenset[str]:
        """The characters a text made here is drawn from."""
        start = _EXT_A + (ord(text[0]) - _EXT_A) // _ALPHABET * _ALPHABET
        return frozenset(chr(code) for code in range(start, start + _ALPHABET))


def _officers(count: int = 2) -> list[dict[str, Any]]:
    return [
        {"name": f"欧阳{'明亮清华'[i % 4]}{i}", "cert_no": f"3301062015{i:04d}"}
        for i in range(count)
    ]


def stress_context(code: str, texts: Texts) -> RenderContext:
    """The sample context with a 60-character party, long address and a long cause."""
    ctx = sample_context(code)
    party = PartyFacts(
        name=texts(PARTY),
        kind="enterprise",
        id_code="91330106MA2H3K7Q5X",
        representative=texts(20),
        address=texts(100),
        phone="0571-8888 6666",
    )
    return ctx.model_copy(update={"party": party, "cause": texts(200)})


def _items(texts: Texts, deadline: str) -> list[dict[str, Any]]:
    return [
        {"item": texts(120), "basis": texts(80), "deadline": deadline, "standard": texts(STANDARD)}
        for _ in range(ITEMS)
    ]


def _evidence(texts: Texts, first: str = "") -> list[dict[str, Any]]:
    kinds = ["书证", "物证", "视听资料", "电子数据", "现场笔录"]
    names = [first + texts(60 - len(first)), *(texts(60) for _ in range(EVIDENCE_ROWS - 1))]
    return [
        {"name": name, "kind": kinds[i % len(kinds)], "pages": i + 1}
        for i, name in enumerate(names)
    ]


def stress_data(code: str, texts: Texts) -> dict[str, Any]:
    """Field data of template ``code`` at the limits the issue names."""
    data = sample_data(code)
    para = texts
    if code == "01":
        data |= {
            "clue_summary": para(PARAGRAPH),
            "facts": para(PARAGRAPH),
            "provisions_violated": texts.many(ITEMS, 100),
            "evidence": _evidence(texts),
            "reason": para(PARAGRAPH),
        }
    elif code == "02":
        data |= {"summary": para(PARAGRAPH), "proposed_place": texts(200)}
        data["interviewers"] = [
            {"name": texts(12), "cert_no": f"330106201{i}", "legal_review_qualified": i == 1}
            for i in range(3)
        ]
        # a long opinion may split across pages, a short one stays whole with its signature
        for key, length in (("section_opinion", PARAGRAPH), ("legal_opinion", 400)):
            data[key] = {"opinion": texts(length), "signer": "欧阳明亮"}
        data["leader_opinion"] = {"opinion": texts(STANDARD), "signer": "欧阳清华"}
    elif code == "03":
        data |= {"submitted_by": texts(60), "opinion": para(PARAGRAPH), "legal_head": "欧阳清华"}
        for key in ("party_identified", "facts_clear", "evidence_sufficient"):
            data[key] = {"passed": True, "note": texts(STANDARD)}
        for key in ("procedure_lawful", "law_applied"):
            data[key] = {"passed": False, "note": texts(STANDARD)}
    elif code == "04":
        data |= {
            "legal_basis": texts.many(ITEMS, 60),
            "place": texts(200),
            "attendee_requirement": texts(STANDARD),
            "materials": texts.many(ITEMS, 60),
            "refusal_consequences": texts(STANDARD),
        }
    elif code == "05":
        data |= {
            "documents": [
                {"document_id": i + 1, "title": texts(60), "doc_no": texts(30), "copies": 2}
                for i in range(ITEMS)
            ],
            "recipient": texts(PARTY),
            "place": texts(200),
            "servers": _officers(3),
            "refused": True,
            "receipt": None,
            "refusal_note": texts(STANDARD),
            "witnesses": [{"name": texts(12), "role": texts(20)} for _ in range(3)],
        }
    elif code == "06":
        data |= {
            "place": texts(200),
            "purpose": para(PARAGRAPH),
            "legal_basis": texts.many(ITEMS, 100),
            "topics": texts.many(ITEMS, 200),
            "questions": texts.many(ITEMS, 200),
            "requirements": texts.many(ITEMS, 200),
        }
    elif code == "07":
        data |= {
            "place": texts(200),
            "interviewers": _officers(3),
            "recorder": texts(12),
            "attendees": [{"name": texts(12), "role": texts(20)} for _ in range(5)],
            "facts": para(PARAGRAPH),
            "provisions": texts.many(ITEMS, 100),
            "evidence": texts.many(EVIDENCE_ROWS, 100),
            "discussion": texts.many(ITEMS, 200),
            "party_statement": para(PARAGRAPH),
            "items": _items(texts, "2026-10-14"),
            "commitment": texts(STANDARD),
        }
    elif code == "08":
        data |= {
            "findings": para(PARAGRAPH),
            "legal_basis": texts.many(ITEMS, 60),
            "items": _items(texts, data["deadline"]),
            "consequences": texts(STANDARD),
        }
    elif code == "09":
        data |= {"notice_no": texts(40), "responsible": texts(12)}
        row = data["rows"][0]
        data["rows"] = [
            row | {"item": texts(200), "measures": texts(STANDARD), "remark": texts(200)}
            for _ in range(EVIDENCE_ROWS)
        ]
    elif code == "10":
        data |= {
            "report_summary": para(PARAGRAPH),
            "inspectors": _officers(3),
            "checks": [
                {
                    "item": texts(120),
                    "standard": texts(STANDARD),
                    "outcome": "符合",
                    "note": texts(200),
                }
                for _ in range(ITEMS)
            ],
            "opinion": texts(STANDARD),
            "follow_up": texts(STANDARD),
        }
    elif code == "11":
        data |= {
            "report_summary": para(PARAGRAPH),
            "inspectors": _officers(3),
            "items_accepted": texts.many(ITEMS, 200),
            "follow_up": texts(STANDARD),
        }
    elif code == "12":
        evidence = _evidence(texts, first="行政约谈记录")
        data |= {
            "rectification_outcome": texts(STANDARD),
            "facts": para(PARAGRAPH),
            "evidence": evidence,
            "provisions_violated": texts.many(ITEMS, 100),
            "penalty_basis": texts.many(ITEMS, 100),
            "intended_penalty": texts(STANDARD),
            "agency_address": texts(200),
        }
    elif code == "G01":
        data |= {
            "situation": para(PARAGRAPH),
            "legal_basis": texts.many(ITEMS, 60),
            "suggestions": texts.many(ITEMS, 200),
            "contact_person": texts(12),
        }
    elif code == "G02":
        data |= {
            "title": texts(60),
            "doc_no": texts(30),
            "place": texts(200),
            "visitors": _officers(3),
            "interviewee": {"name": texts(12), "role": texts(20)},
            "measures": para(PARAGRAPH),
            "opinion": texts(STANDARD),
            "conduct": texts(STANDARD),
            "evaluation": texts(STANDARD),
        }
    elif code in ("M01", "M02", "M03"):
        data["other_party"] = {
            "name": texts(PARTY),
            "id_code": "330106198805120021",
            "address": texts(100),
            "phone": "138 0571 2233",
        }
        if code == "M01":
            data |= {
                "applicant": texts(PARTY),
                "dispute": para(PARAGRAPH),
                "request": texts(STANDARD),
                "acceptance_opinion": texts(STANDARD),
                "session_place": texts(200),
                "notes": texts(STANDARD),
                "handlers": _officers(3),
            }
        elif code == "M02":
            data |= {
                "place": texts(200),
                "mediators": _officers(3),
                "recorder": texts(12),
                "attendees": [{"name": texts(12), "role": texts(20)} for _ in range(4)],
                "invited": [{"name": texts(12), "role": texts(20)} for _ in range(2)],
                "party_statement": para(PARAGRAPH),
                "other_statement": para(PARAGRAPH),
                "facts": para(PARAGRAPH),
                "focus": texts.many(ITEMS, 100),
                "mediation": para(PARAGRAPH),
                "outcome_note": texts(STANDARD),
            }
        else:
            data |= {
                "matter": texts(200),
                "facts": para(PARAGRAPH),
                "terms": texts.many(ITEMS, 200),
                "performance": texts(STANDARD),
                "mediators": _officers(3),
            }
    return data
