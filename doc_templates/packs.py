"""Template packs: the templates a kind of case uses, with the code its 案号 and 文号 carry and
the documents its case file must hold. A case belongs to one pack.

- 约谈 (``interview``): the twelve numbered templates of the administrative interview.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pack:
    """A pack: its code, its name, the word its numbers carry, its completeness rule (``*``
    for every case, then per outcome)."""

    code: str
    name: str
    number_code: str
    requirements: dict[str, list[str]] = field(default_factory=dict)
    dossier_title: str = "行政约谈案件档案"  # the dossier cover's title
    date_label: str = "约谈日期"  # the cover's label for the case's key date


INTERVIEW = "interview"
PACKS: dict[str, Pack] = {
    INTERVIEW: Pack(
        INTERVIEW,
        "行政约谈",
        "约",
        {
            "*": ["01", "02", "03", "04", "05", "07", "08", "09"],
            "passed": ["10", "11"],
            "penalty": ["10", "12"],
            "other": [],
        },
    ),
}


def get_pack(code: str) -> Pack:
    """The pack called ``code``; ``KeyError`` when there is none."""
    return PACKS[code]
