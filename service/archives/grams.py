"""Gram keys: how PostgreSQL finds Chinese text of any length through one GIN index.

A text's keys are its distinct characters and pairs of adjacent characters, case folded, leaving
out anything with whitespace (search terms never contain it). A term of one or two characters
occurs in a text exactly when the term is one of the text's keys, so the index answers it
alone; a longer term can only occur where all of its pairs do, which narrows the texts that a
``LIKE`` must then confirm.

The keys are made here rather than in SQL: a PL/pgSQL or SQL function takes milliseconds per
text, Python a few hundred microseconds.
"""

from __future__ import annotations


def text_keys(text: str) -> list[str]:
    """The keys a text is indexed under, sorted."""
    keys: set[str] = set()
    for run in text.lower().split():
        keys.update(run)
        keys.update(run[i : i + 2] for i in range(len(run) - 1))
    return sorted(keys)


def term_keys(term: str) -> list[str]:
    """Keys every text containing ``term`` has (the term itself when it is at most two long)."""
    folded = term.lower()
    if len(folded) <= 2:
        return [folded]
    return sorted({folded[i : i + 2] for i in range(len(folded) - 1)})


def exact(term: str) -> bool:
    """Whether ``term_keys`` alone decides that a text contains ``term``."""
    return len(term.lower()) <= 2
