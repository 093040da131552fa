"""Which documents a case file must hold before it can be archived — data, not branches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from doc_templates.packs import INTERVIEW, PACKS

# The interview pack's rule (doc_templates.packs): every case file holds the clue report,
# approval, legal review, notice, proof of service, record, rectification notice and the
# tracking ledger (reference 000: every case has one); then by outcome: acceptance opinion +
# certificate (passed) or acceptance opinion + prior notice of penalty (penalty).
DEFAULT_REQUIREMENTS: dict[str, list[str]] = PACKS[INTERVIEW].requirements


def required_templates(rules: Mapping[str, Sequence[str]], outcome: str | None) -> list[str]:
    """The template codes a case with this outcome must hold, in code order."""
    codes = set(rules.get("*", ())) | set(rules.get(outcome or "", ()))
    return sorted(codes)


def missing_templates(
    rules: Mapping[str, Sequence[str]], outcome: str | None, present: Iterable[str]
) -> list[str]:
    """Required template codes of which the case has no document."""
    have = set(present)
    return [code for code in required_templates(rules, outcome) if code not in have]
