"""Allocate 案号 and 文号: unique and gap-free per agency, year (and template for 文号)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from doc_templates import get_template
from doc_templates.packs import INTERVIEW, get_pack
from service.config import Settings
from service.numbering.repository import next_value


@dataclass(frozen=True)
class Allocated:
    """A number handed out: its sequence value and the formatted string."""

    year: int
    seq: int
    text: str


def allocate_case_no(
    session: Session, settings: Settings, year: int, pack: str = INTERVIEW
) -> Allocated:
    """Next 案号 for the configured agency in ``year``, for a case of ``pack``: each pack its
    own sequence when the pattern shows the pack's word, else one sequence for all."""
    own = pack != INTERVIEW and "{pack}" in settings.case_no_pattern
    scope = f"case:{settings.agency_code}" + (f":{pack}" if own else "")
    seq = next_value(session, scope, year)
    text = settings.case_no_pattern.format(
        agency_code=settings.agency_code, pack=get_pack(pack).number_code, year=year, seq=seq
    )
    return Allocated(year, seq, text)


def allocate_doc_no(
    session: Session, settings: Settings, template_code: str, year: int, pack: str | None = None
) -> Allocated:
    """Next 文号 for ``template_code`` in ``year``, for a case of ``pack`` (default: the
    template's own). A template a pack shares from another (05 in a guidance case) carries
    the case's pack word and counts in a sequence of its own for that pack."""
    template = get_template(template_code)
    used_in = pack or template.pack
    scope = f"doc:{settings.agency_code}:{template_code}"
    if used_in != template.pack:
        scope += f":{used_in}"
    seq = next_value(session, scope, year)
    # an office's own type codes may name only some templates: the others keep their spec's
    type_code = settings.doc_type_codes.get(template_code, template.type_code)
    text = settings.doc_no_pattern.format(
        agency_code=settings.agency_code,
        pack=get_pack(used_in).number_code,
        type_code=type_code,
        year=year,
        seq=seq,
    )
    return Allocated(year, seq, text)
