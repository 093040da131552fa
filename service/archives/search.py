"""Archive search (档案检索): filters and Chinese full text over the archives' extracted texts.

Full text is substring search: every whitespace-separated term must occur in the text, case
folded.

* SQLite answers it from the FTS5 trigram table ``archive_fts``, which cannot look up a term
  shorter than three characters, yet most Chinese words have two. A two-character term occurs
  in a text exactly when one of the text's trigrams starts with it, or the text ends with it.
  The trigrams that start with it are read from the index's vocabulary and OR-ed into the
  ``MATCH``; the ending is ``lower(substr(body, -2))``, which an expression index can answer.
  One-character terms scan the texts.
* PostgreSQL answers it from a GIN index over ``anjuan_text_grams(body)``, every run of one
  to four characters in the text (migration 0006): a term of up to four characters is one of
  the runs, found from the index alone; a longer one is looked up by its runs of four and
  confirmed by ``LIKE`` on the texts they leave. Matching only the full text, the matches are
  fetched as ids and the archives walked in sort order until the page is full, instead of
  joining every match to its archive.

Counting and paging share one pass over the matches where they can. Snippets are cut in Python
from the page's texts, the same on both.
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
    CompoundSelect,
    Float,
    Integer,
    Select,
    Text,
    and_,
    cast,
    column,
    func,
    literal_column,
    nulls_first,
    nulls_last,
    select,
    table,
    text,
    union,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from doc_templates.text_rules import FORBIDDEN_CHARACTER, describe, forbidden_char
from service.archives.models import Archive, ArchiveStatus, ArchiveText
from service.errors import FieldError

SORTS: dict[str, Any] = {
    "archived_at": Archive.archived_at,
    "closed_on": Archive.closed_on,
    "archive_no": Archive.archive_no,
    "expires_on": Archive.expires_on,
}
RELEVANCE = "relevance"
TEXT_FILTERS = {"q": "检索词", "case_no": "案号", "party": "当事人", "retention_class": "保管期限"}
MAX_LIMIT = 200
MAX_QUERY_CHARS = 200
CONTEXT = 30  # characters of text either side of the first match in a snippet
TRIGRAM = 3
GRAM = 4  # PostgreSQL: the longest run of characters in the text index
WALK = 20_000  # PostgreSQL: walk at most about this many archives for a page of matches
COLLECT = 2000  # up to this many matches of the filters are collected and sorted in one pass
DENSE = 4  # filters matching at least 1/DENSE of the archives page along the sort key

_Ids = Select[Any] | CompoundSelect[Any]  # a query of archive ids
_fts = table("archive_fts", column("rowid", Integer), column("rank", Float))
_MATCH = literal_column("archive_fts").op("MATCH")
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
    sort: str = "-archived_at"  # a SORTS key, "-" first for descending; "relevance" with q
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class ArchiveHit:
    """One archive found, with the text around the first match (HTML, matches in ``<mark>``)."""

    archive: Archive
    snippet: str | None


@dataclass(frozen=True)
class _Texts:
    """Ids of the archives whose text has every term, and how to rank them."""

    ids: _Ids
    fts_rank: str | None = None  # SQLite: an FTS5 expression whose bm25 ranks the matches


def search(session: Session, query: ArchiveQuery) -> tuple[list[ArchiveHit], int]:
    """One page of archives matching the query, and how many match in all."""
    terms = list(dict.fromkeys(query.q.split())) if query.q else []
    _validate(query, terms)
    sqlite = session.get_bind().dialect.name == "sqlite"
    filters = _filters(query, sqlite)
    texts: _Texts | None = None
    if terms:
        texts = _sqlite_texts(session, terms) if sqlite else _pg_texts(terms)
        if texts is None:
            return [], 0

    if sqlite and texts is None:
        ids, total = _sqlite_filtered(session, query, filters)
    elif texts is not None and not sqlite and not filters and query.sort != RELEVANCE:
        ids, total = _pg_text_only(session, query, texts)
    else:
        # Collecting lets the count come from the same single reading of the texts; with
        # full text SQLite looks up every match anyway, and PostgreSQL weighs walking an
        # index against sorting by itself.
        conditions = [*filters, *([Archive.id.in_(texts.ids)] if texts is not None else [])]
        ids, counted = _collected(session, conditions, query, texts, terms, sqlite)
        if counted is not None:
            total = counted
        else:
            total = _count(session, filters, texts) if query.offset else 0
    if not ids:
        return [], total

    archives = {a.id: a for a in session.scalars(select(Archive).where(Archive.id.in_(ids)))}
    snippets: dict[int, str | None] = {}
    if terms:
        rows = session.execute(
            select(ArchiveText.archive_id, ArchiveText.body).where(ArchiveText.archive_id.in_(ids))
        )
        snippets = {archive_id: snippet(body, terms) for archive_id, body in rows}
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
        parts += [_plain(body[at : match.start()]), f"<mark>{_plain(match.group())}</mark>"]
        at = match.end()
    parts.append(_plain(body[at:end]))
    if end < len(body):
        parts.append("…")
    return "".join(parts)


def _plain(piece: str) -> str:
    return html.escape(re.sub(r"\s+", " ", piece))


def _validate(query: ArchiveQuery, terms: list[str]) -> None:
    problems: list[dict[str, str]] = []
    if not 1 <= query.limit <= MAX_LIMIT:
        problems.append(_problem("limit", f"must be 1..{MAX_LIMIT}", "每页条数"))
    if query.offset < 0:
        problems.append(_problem("offset", "must not be negative", "起始位置"))
    if query.q is not None and len(query.q) > MAX_QUERY_CHARS:
        problems.append(_problem("q", f"at most {MAX_QUERY_CHARS} characters", "检索词"))
    # A character no document can hold matches none, and breaks the full-text query (SQLite)
    # or the statement (PostgreSQL refuses NUL in text): refused like any other text.
    for name, label in TEXT_FILTERS.items():
        found = forbidden_char(getattr(query, name) or "")
        if found is not None:
            problems.append(_problem(name, describe(*found), label, FORBIDDEN_CHARACTER))
    if query.status is not None and query.status not in ArchiveStatus.__members__:
        problems.append(_problem("status", f"must be one of {', '.join(ArchiveStatus)}", "状态"))
    sorts = [*SORTS, *(f"-{s}" for s in SORTS), *([RELEVANCE] if terms else [])]
    if query.sort not in sorts:
        problems.append(_problem("sort", f"must be one of {', '.join(sorts)}", "排序"))
    if problems:
        raise FieldError(problems)


def _problem(field: str, message: str, label: str, kind: str = "value_error") -> dict[str, str]:
    return {"field": field, "message": message, "type": kind, "label": label}


def _filters(query: ArchiveQuery, sqlite: bool) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.case_no is not None:
        filters.append(Archive.case_no == query.case_no)
    if query.party:
        filters.append(_substring(Archive.party_name, query.party, sqlite))
    if query.date_from is not None:
        filters.append(Archive.closed_on >= query.date_from)
    if query.date_to is not None:
        filters.append(Archive.closed_on <= query.date_to)
    if query.retention_class is not None:
        filters.append(Archive.retention_class == query.retention_class)
    if query.status is not None:
        filters.append(Archive.status == ArchiveStatus(query.status))
    if query.expires_before is not None:
        filters.append(Archive.expires_on < query.expires_before)
    return filters


def _substring(column_: Any, value: str, sqlite: bool) -> ColumnElement[bool]:
    """``column_`` contains ``value`` (whitespace and all), through an index where there is one."""
    words = value.split()
    if sqlite or not words:
        return _contains(column_, value, sqlite)
    if words == [value]:
        return _pg_substrings(column_, words)
    # The runs leave whitespace out: they find the words, LIKE the value as a whole.
    return and_(_pg_substrings(column_, words), _contains(column_, value, sqlite=False))


def _contains(column_: Any, term: str, sqlite: bool) -> ColumnElement[bool]:
    """``column_`` contains ``term``, ASCII case folded, with LIKE wildcards in it literal."""
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
    if sqlite:
        return column_.like(pattern, escape="\\")
    # Backslash is PostgreSQL's default escape. ILIKE lower-cases all of every text it checks,
    # so a term without letters, which case cannot change, takes the faster LIKE.
    if term.lower() != term.upper():
        return column_.ilike(pattern)
    return column_.like(pattern)


def _count(session: Session, filters: list[ColumnElement[bool]], texts: _Texts | None) -> int:
    if texts is None:
        stmt = select(func.count()).select_from(Archive).where(*filters)
    elif filters:
        stmt = select(func.count()).select_from(Archive).where(*filters, Archive.id.in_(texts.ids))
    else:  # every text belongs to an archive: count the texts alone
        stmt = select(func.count()).select_from(texts.ids.subquery())
    return session.scalar(stmt) or 0


def _sqlite_filtered(
    session: Session, query: ArchiveQuery, filters: list[ColumnElement[bool]]
) -> tuple[list[int], int]:
    """The page's ids and the total without full text (SQLite)."""
    # SQLite walks the sort key's index and tests each row whenever it can. With few matches,
    # or matches bunched away from the walk's start (a closing-date range against the newest
    # archived first), the walk reads most of the table: 300 ms at 100k archives, against
    # 20 ms to collect and sort 2k matches. A walk within the filtered range is best, though.
    aligned = query.expires_before is not None and query.sort.lstrip("-") == "expires_on"
    walk = not filters or aligned
    if not walk:
        few = select(Archive.id).where(*filters).limit(COLLECT + 1)
        ids, counted = _collected(session, [Archive.id.in_(few)], query, None, [], True)
        if counted is None and query.offset == 0:
            return [], 0
        if counted is not None and counted <= COLLECT:
            return ids, counted
    total = _count(session, filters, None)
    if total <= query.offset:
        return [], total
    conditions = filters
    if not walk and total * DENSE < (session.scalar(select(func.max(Archive.id))) or 0):
        conditions = [Archive.id.in_(select(Archive.id).where(*filters))]
    stmt, keys = _sorted(select(Archive.id).where(*conditions), query, None, [], True)
    page = stmt.order_by(*(_by(*k) for k in keys)).limit(query.limit).offset(query.offset)
    return list(session.scalars(page)), total


def _collected(
    session: Session,
    conditions: list[ColumnElement[bool]],
    query: ArchiveQuery,
    texts: _Texts | None,
    terms: list[str],
    sqlite: bool,
) -> tuple[list[int], int | None]:
    """The page's ids and the total in one pass; total None when the page is empty."""
    stmt, keys = _sorted(select(Archive.id).where(*conditions), query, texts, terms, sqlite)
    # Materialised: without the fence a planner may walk the sort key's index through the
    # whole table to feed the count.
    matches = (
        stmt.add_columns(*(expr.label(f"k{i}") for i, (expr, _, _) in enumerate(keys)))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    total = select(func.count()).select_from(matches).scalar_subquery()
    order = [_by(matches.c[f"k{i}"], desc, high) for i, (_, desc, high) in enumerate(keys)]
    page = select(matches.c.id, total).order_by(*order).limit(query.limit).offset(query.offset)
    rows = session.execute(page).all()
    return [row[0] for row in rows], rows[0][1] if rows else None


def _sorted(
    stmt: Select[Any], query: ArchiveQuery, texts: _Texts | None, terms: list[str], sqlite: bool
) -> tuple[Select[Any], list[tuple[Any, bool, bool]]]:
    """``stmt`` joined to what the order needs, and the keys (expression, descending, NULL high)."""
    if query.sort != RELEVANCE:
        descending = query.sort.startswith("-")
        key = SORTS[query.sort.lstrip("-")]
        # A permanent archive (expires_on NULL) sorts as the farthest expiry; id breaks ties.
        return stmt, [(key, descending, key is Archive.expires_on), (Archive.id, descending, False)]
    assert texts is not None
    if sqlite:
        if texts.fts_rank is None:
            return stmt, [(Archive.id, False, False)]
        ranks = select(_fts.c.rowid, _fts.c.rank).where(_MATCH(texts.fts_rank)).subquery()
        stmt = stmt.outerjoin(ranks, ranks.c.rowid == Archive.id)
        # bm25: lower is better; NULL: matched outside the index, ranked last.
        return stmt, [(ranks.c.rank, False, True), (Archive.id, False, False)]
    body = ArchiveText.body
    occurrences = sum(_occurrences(body, t) for t in terms)
    score = cast(occurrences, Float) / func.greatest(func.char_length(body), 1)  # per character
    stmt = stmt.join(ArchiveText, ArchiveText.archive_id == Archive.id)
    return stmt, [(score, True, False), (Archive.id, False, False)]


def _by(expr: Any, descending: bool, null_highest: bool) -> Any:
    if not null_highest:
        return expr.desc() if descending else expr.asc()
    return nulls_first(expr.desc()) if descending else nulls_last(expr.asc())


def _occurrences(body: Any, term: str) -> Any:
    """How often ``term`` occurs in ``body``, case folded (PostgreSQL)."""
    folded = body if term.lower() == term.upper() else func.lower(body)
    removed = func.replace(folded, term.lower(), "")
    return (func.char_length(folded) - func.char_length(removed)) / len(term)


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_texts(session: Session, terms: list[str]) -> _Texts | None:
    """Ids of the archives whose text has every term; None when a term occurs nowhere."""
    phrases: list[str] = []  # FTS5 expressions that must all match
    ranked: list[str] = []  # FTS5 expressions for every term the index can rank
    either: list[_Ids] = []  # two-character terms that also end some text
    scans: list[ColumnElement[bool]] = []  # one-character terms: no index can help
    for term in terms:
        if len(term) >= TRIGRAM:
            phrases.append(_phrase(term))
            ranked.append(_phrase(term))
        elif len(term) == 1:
            scans.append(_contains(ArchiveText.body, term, sqlite=True))
        else:
            starts = _trigrams_starting(session, term.lower())
            ends = select(ArchiveText.archive_id).where(_tail(ArchiveText.body) == term.lower())
            ending = list(session.scalars(ends))
            if starts:
                ranked.append(f"({starts})")
            if ending:
                either.append(union(_matching(starts), ends) if starts else ends)
            elif starts:
                phrases.append(f"({starts})")
            else:
                return None
    arms = [_matching(" AND ".join(phrases)), *either] if phrases else either
    if len(arms) == 1 and not scans:
        return _Texts(arms[0], " OR ".join(ranked) or None)
    ids = select(ArchiveText.archive_id).where(
        *(ArchiveText.archive_id.in_(arm) for arm in arms), *scans
    )
    return _Texts(ids, " OR ".join(ranked) or None)


def _matching(expression: str) -> Select[Any]:
    return select(_fts.c.rowid).where(_MATCH(expression))


def _phrase(term: str) -> str:
    """``term`` as an FTS5 phrase: whatever the user typed is a literal, never syntax."""
    return '"' + term.replace('"', '""') + '"'


def _trigrams_starting(session: Session, prefix: str) -> str | None:
    """An FTS5 expression matching any indexed trigram that starts with ``prefix``."""
    # fts5vocab lists the index's terms; a temp table is per connection and needs no migration.
    session.execute(
        text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.archive_fts_terms "
            "USING fts5vocab(main, archive_fts, row)"
        )
    )
    trigrams = session.scalars(
        text("SELECT term FROM temp.archive_fts_terms WHERE term >= :low AND term <= :high"),
        {"low": prefix, "high": prefix + _LAST_CHAR},
    )
    return " OR ".join(_phrase(t) for t in trigrams) or None


def _tail(body: Any) -> Any:
    # A literal -2, not a bound parameter: only then can an index on the expression serve it.
    return func.lower(func.substr(body, literal_column("-2")))


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_texts(terms: list[str]) -> _Texts:
    return _Texts(select(ArchiveText.archive_id).where(_pg_substrings(ArchiveText.body, terms)))


def _pg_substrings(column_: Any, terms: list[str]) -> ColumnElement[bool]:
    """``column_`` contains every term, through its index of runs (PostgreSQL)."""
    # The runs of all the terms at once: whitespace separates them as it separates the terms.
    runs = _text_grams(column_).op("@>", is_comparison=True)(_text_grams(" ".join(terms)))
    confirm = [_contains(column_, t, sqlite=False) for t in terms if len(t) > GRAM]
    return and_(runs, *confirm)


def _text_grams(value: Any) -> Any:
    return func.anjuan_text_grams(value, type_=postgresql.ARRAY(Text))


def _pg_text_only(session: Session, query: ArchiveQuery, texts: _Texts) -> tuple[list[int], int]:
    """The page's ids and the total when the full text is the only condition (PostgreSQL).

    The index lists the matches' ids cheaply, but reading each match's archive for its sort
    key costs a page visit: 40 ms for 10k matches. Many matches are met soon, though, walking
    the archives along the sort key's index, so the walk reads a small multiple of the page.
    """
    matched = set(session.scalars(texts.ids))
    total, wanted = len(matched), query.offset + query.limit
    if total <= query.offset:
        return [], total
    if total <= COLLECT:  # the ids themselves: the planner then knows how few they are
        ids, _ = _collected(session, [Archive.id.in_(sorted(matched))], query, None, [], False)
        return ids, total
    archives = session.scalar(select(func.max(Archive.id))) or 0
    expected = wanted * archives // total  # archives read before the page is full, on average
    if expected > WALK:
        ids, _ = _collected(session, [Archive.id.in_(texts.ids)], query, None, [], sqlite=False)
        return ids, total
    stmt, keys = _sorted(select(Archive.id), query, None, [], sqlite=False)
    walk = stmt.order_by(*(_by(*k) for k in keys))
    found: list[int] = []
    read, step = 0, 2 * expected + query.limit
    while len(found) < wanted:
        chunk = list(session.scalars(walk.limit(step).offset(read)))
        found += [i for i in chunk if i in matched]
        read += len(chunk)
        if len(chunk) < step:
            break
        step *= 2
    return found[query.offset : wanted], total
