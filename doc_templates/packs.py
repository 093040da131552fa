"""Template packs: the templates a kind of case uses, with the code its 案号 and 文号 carry and
the documents its case file must hold. A case belongs to one pack.

- 约谈 (``interview``): the twelve numbered templates of the administrative interview.
- 行政指导 (``guidance``): the guidance recommendation G01 and the follow-up visit record G02
  (reference 002: non-binding guidance, its 回访 and 后续评估 kept with the case).
- 行政调解 (``mediation``): the application and acceptance M01, the mediation record M02 and,
  when the parties agree, the agreement M03 (reference 003 第十八条). A mediation case closed
  as ``passed`` ended in an agreement and must hold M03; ``other``: no agreement was reached.
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
    shared: tuple[str, ...] = ()  # templates of another pack its cases use too (05 送达回证)

    def uses(self, template_code: str, template_pack: str) -> bool:
        """Whether a case of this pack may issue the template."""
        return template_pack == self.code or template_code in self.shared


INTERVIEW = "interview"
GUIDANCE = "guidance"
MEDIATION = "mediation"
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
    GUIDANCE: Pack(
        GUIDANCE,
        "行政指导",
        "导",
        {"*": ["G01", "G02"]},
        dossier_title="行政指导案件档案",
        date_label="指导日期",
        shared=("05",),  # a 行政指导建议书 is served like any notice
    ),
    MEDIATION: Pack(
        MEDIATION,
        "行政调解",
        "调",
        {"*": ["M01", "M02"], "passed": ["M03"], "penalty": [], "other": []},
        dossier_title="行政调解案件档案",
        date_label="调解日期",
        shared=("05",),  # a 调解协议书 is served on each party
    ),
}


def get_pack(code: str) -> Pack:
    """The pack called ``code``; ``KeyError`` when there is none."""
    return PACKS[code]
