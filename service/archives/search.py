"""Archive search (档案检索): filters and Chinese full text over the archives' extracted texts.

Full text is substring search: every whitespace-separated term must occur in the text, case
folded. SQLite answers it from the FTS5 trigram table ``archive_fts``; PostgreSQL from the
pg_trgm GIN index on ``archive_texts.body``. Trigram indexes cannot look up terms shorter than
three characters, yet most Chinese words have two, so each backend has a path for those:

* SQLite: the index holds every trigram of every text; a two-character term occurs in a text
  exactly when one of the text's trigrams starts with it, or when the text ends with it. The
  trigrams starting with it are read from the index's vocabulary and OR-ed in one ``MATCH``;
  the ending is a comparison on ``lower(substr(body, -2))``.
* PostgreSQL: ``LIKE``/``ILIKE`` over the texts (pg_trgm cannot use the index for them).

One-character terms scan the texts on both. Snippets are cut in Python from the page's texts,
so they are the same on both backends.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    and_,
    column,
    false,
    func,
    literal_column,
    nulls_first,
    nulls_last,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.orm import Session

from service.archives.models import Archive, ArchiveStatus, ArchiveText
from service.errors import FieldError

SORTS: dict[str, Any] = {
    "archived_at": Archive.archived_at,
    "closed_on": Archive.closed_on,
    "archive_no": Archive.archive_no,
    "expires_on": Archive.expires_on,
}
RELEVANCE = "relevance"
MAX_LIMIT = 200
MAX_QUERY_CHARS = 200
CONTEXT = 30  # characters of text either side of the first match in a snippet
TRIGRAM = 3

_fts = table("archive_fts", column("rowid", Integer), column("rank", Float))
_FTS_MATCH = literal_column("archive_fts").op("MATCH")
_LAST_CHAR = "\U0010ffff"


@dataclass(frozen=True)
class ArchiveQuery:
    """What an archivist searches for; every given filter must hold."""

    q: str | None = None  # full text: every whitespace-separated term occurs in the text
    case_no: str | None = None  # exact
    party: str | None = None  # substring of the party's name
    date_from: date | None = None  # closed on or after
    date_to: date | None = None  # closed on or before
    retention_class: str | None = None
    status: str | None = None  # an ArchiveStatus value
    expires_before: date | None = None  # expires before; permanent archives never match
    sort: str = "-archived_at"  # a SORTS key, "-" for descending; "relevance" with q
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class ArchiveHit:
    """One archive found, with the text around the first match (HTML, match in ``<mark>``)."""

    archive: Archive
    snippet: str | None


def search(session: Session, query: ArchiveQuery) -> tuple[list[ArchiveHit], int]:
    """One page of archives matching the query, and how many match in all."""
    terms = _terms(query.q)
    _validate(query, terms)
    sqlite = session.get_bind().dialect.name == "sqlite"
    conditions = _filters(query, sqlite)
    if terms:
        conditions.extend(_sqlite_terms(session, terms) if sqlite else [_pg_term(t) for t in terms])

    total = session.scalar(select(func.count()).select_from(Archive).where(*conditions)) or 0
    if total <= query.offset:
        return [], total

    page = select(Archive.id).where(*conditions)
    if query.sort == RELEVANCE:
        score, descending = _relevance(page, terms, sqlite)
        order = [nulls_last(score.desc() if descending else score.asc()), Archive.id]
    else:
        descending = query.sort.startswith("-")
        key = SORTS[query.sort.lstrip("-")]
        order = [_directed(key, descending), _directed(Archive.id, descending)]
    ids = list(session.scalars(page.order_by(*order).limit(query.limit).offset(query.offset)))

    archives = {a.id: a for a in session.scalars(select(Archive).where(Archive.id.in_(ids)))}
    snippets: dict[int, str | None] = {}
    if terms:
        bodies = session.execute(
            select(ArchiveText.archive_id, ArchiveText.body).where(ArchiveText.archive_id.in_(ids))
        )
        snippets = {archive_id: snippet(body, terms) for archive_id, body in bodies}
    return [ArchiveHit(archives[i], snippets.get(i)) for i in ids], total


def snippet(body: str, terms: Sequence[str]) -> str | None:
    """HTML of the text around the first match of any term, every match in ``<mark>``."""
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    first = pattern.search(body)
    if first is None:
        return None
    start, end = max(0, first.start() - CONTEXT), min(len(body), first.end() + CONTEXT)
    parts = ["…"] if start > 0 else []
    at = start
    for match in pattern.finditer(body, start, end):
        parts.append(_plain(body[at : match.start()]))
        parts.append(f"<mark>{_plain(match.group())}</mark>")
        at = match.end()
    parts.append(_plain(body[at:end]))
    if end < len(body):
        parts.append("…")
    return "".join(parts)


def _plain(piece: str) -> str:
    return html.escape(re.sub(r"\s+", " ", piece))


def _terms(q: str | None) -> list[str]:
    return list(dict.fromkeys(q.split())) if q else []


def _validate(query: ArchiveQuery, terms: list[str]) -> None:
    problems: list[dict[str, str]] = []
    if not 1 <= query.limit <= MAX_LIMIT:
        problems.append(_problem("limit", f"must be 1..{MAX_LIMIT}", "每页条数"))
    if query.offset < 0:
        problems.append(_problem("offset", "must not be negative", "起始位置"))
    if query.q is not None and len(query.q) > MAX_QUERY_CHARS:
        problems.append(_problem("q", f"at most {MAX_QUERY_CHARS} characters", "检索词"))
    if query.status is not None and query.status not in ArchiveStatus.__members__:
        allowed = ", ".join(ArchiveStatus)
        problems.append(_problem("status", f"must be one of {allowed}", "状态"))
    sorts = [*SORTS, *(f"-{s}" for s in SORTS), *([RELEVANCE] if terms else [])]
    if query.sort not in sorts:
        problems.append(_problem("sort", f"must be one of {', '.join(sorts)}", "排序"))
    if problems:
        raise FieldError(problems)


def _problem(field: str, message: str, label: str) -> dict[str, str]:
    return {"field": field, "message": message, "label": label}


def _filters(query: ArchiveQuery, sqlite: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.case_no is not None:
        conditions.append(Archive.case_no == query.case_no)
    if query.party:
        conditions.append(_contains(Archive.party_name, query.party, sqlite))
    if query.date_from is not None:
        conditions.append(Archive.closed_on >= query.date_from)
    if query.date_to is not None:
        conditions.append(Archive.closed_on <= query.date_to)
    if query.retention_class is not None:
        conditions.append(Archive.retention_class == query.retention_class)
    if query.status is not None:
        conditions.append(Archive.status == ArchiveStatus(query.status))
    if query.expires_before is not None:
        conditions.append(Archive.expires_on < query.expires_before)
    return conditions


def _contains(column_: Any, term: str, sqlite: bool) -> ColumnElement[bool]:
    """``column`` contains ``term``, ASCII case folded, LIKE wildcards in ``term`` literal."""
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
    if sqlite:
        return column_.like(pattern, escape="\\")  # SQLite's LIKE folds ASCII case itself
    # ILIKE lower-cases the whole text of every row it checks; a term without case needs not.
    # Backslash is PostgreSQL's default escape; an explicit ESCAPE would hide the pattern
    # from pg_trgm in generic plans.
    return column_.ilike(pattern) if term.lower() != term.upper() else column_.like(pattern)


def _directed(key: Any, descending: bool) -> Any:
    if key is Archive.expires_on:  # permanent (NULL) sorts as the farthest expiry
        return nulls_first(key.desc()) if descending else nulls_last(key.asc())
    return key.desc() if descending else key.asc()


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_terms(session: Session, terms: list[str]) -> list[ColumnElement[bool]]:
    """One condition per term: the archive's text contains it."""
    conditions: list[ColumnElement[bool]] = []
    for term in terms:
        if len(term) >= TRIGRAM:
            conditions.append(Archive.id.in_(_matching(_phrase(term))))
        elif len(term) == TRIGRAM - 1:
            folded = term.lower()
            starts = _trigrams_starting(session, folded)
            ends = select(ArchiveText.archive_id).where(_tail(ArchiveText.body) == folded)
            conditions.append(Archive.id.in_(union(_matching(starts), ends) if starts else ends))
        else:
            conditions.append(
                Archive.id.in_(
                    select(ArchiveText.archive_id).where(
                        _contains(ArchiveText.body, term, sqlite=True)
                    )
                )
            )
    return conditions


def _matching(expression: str) -> Select[tuple[int]]:
    return select(_fts.c.rowid).where(_FTS_MATCH(expression))


def _phrase(term: str) -> str:
    """``term`` as an FTS5 phrase: any user input becomes a literal, never query syntax."""
    return '"' + term.replace('"', '""') + '"'


def _trigrams_starting(session: Session, prefix: str) -> str | None:
    """An FTS5 expression matching every trigram in the index that starts with ``prefix``."""
    session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.archive_fts_terms "
            "USING fts5vocab(main, archive_fts, row)"
        )
    )
    trigrams = session.scalars(
        text("SELECT term FROM temp.archive_fts_terms WHERE term >= :low AND term <= :high"),
        {"low": prefix, "high": prefix + _LAST_CHAR},
    ).all()
    return " OR ".join(_phrase(t) for t in trigrams) or None


def _tail(body: Any) -> Any:
    # Literal -2, not a bound parameter, so that an index on this expression can serve it.
    return func.lower(func.substr(body, literal_column("-2")))


def _relevance(page: Select[Any], terms: list[str], sqlite: bool) -> tuple[Any, bool]:
    raise NotImplementedError


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_term(term: str) -> ColumnElement[bool]:
    return Archive.id.in_(
        select(ArchiveText.archive_id).where(_contains(ArchiveText.body, term, sqlite=False))
    )


__all__ = ["ArchiveHit", "ArchiveQuery", "search", "snippet"]
_unused = (and_, or_, false)
