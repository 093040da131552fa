"""Archive search: Chinese full text (two characters and more), snippets, filters, order, pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.archives import search as search_module
from service.archives.models import Archive, ArchiveStatus, ArchiveText
from service.archives.search import ArchiveHit, ArchiveQuery, search, snippet
from service.cases.models import Case, CaseStatus, PartyKind
from service.db import make_engine, make_sessionmaker, transaction
from service.errors import FieldError
from service.migrate import downgrade, upgrade

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PROCEDURE = "约谈人出示了执法证件，告知了约谈的事由、依据和被约谈人享有的权利与义务。"


@dataclass(frozen=True)
class Row:
    """One archive to insert: the fields the tests vary, and its text."""

    party: str
    body: str
    closed_on: date = date(2020, 1, 1)
    retention_class: str = "D10"
    expires_on: date | None = date(2030, 1, 1)
    status: ArchiveStatus = ArchiveStatus.archived
    archived_at: datetime = T0


CORPUS = {
    1: Row(
        "中村市鑫源餐饮管理有限公司",
        "中村市市场监督管理局行政约谈笔录\n当事人：中村市鑫源餐饮管理有限公司\n"
        f"约谈事由：后厨环境卫生不符合食品安全标准，消防通道被杂物堵塞。{PROCEDURE}",
        closed_on=date(2020, 3, 1),
        expires_on=date(2030, 3, 1),
        archived_at=T0 + timedelta(days=1),
    ),
    2: Row(
        "平湖市恒达建材有限公司",
        f"当事人：平湖市恒达建材有限公司\n灭火器超过有效期，消防设施未定期维护。{PROCEDURE}",
        closed_on=date(2019, 5, 10),
        retention_class="D30",
        expires_on=date(2049, 5, 10),
        archived_at=T0 + timedelta(days=2),
    ),
    3: Row(
        "海宁市华美医药商行",
        "当事人：海宁市华美医药商行\n网页标题写有<b>特效药</b>字样 & 未凭处方销售处方药。",
        closed_on=date(2015, 6, 1),
        expires_on=date(2025, 6, 1),
        status=ArchiveStatus.destroyed,
        archived_at=T0 + timedelta(days=3),
    ),
    4: Row(
        "嘉善县鑫源食品经营部",
        f"当事人：嘉善县鑫源食品经营部\n{PROCEDURE}经营范围：预包装食品、餐饮",
        closed_on=date(2021, 8, 15),
        retention_class="Y",
        expires_on=None,
        archived_at=T0 + timedelta(days=4),
    ),
    5: Row(
        "桐乡市100%_优选超市",
        '当事人：桐乡市100%_优选超市\n宣传"全网最低价"，折扣率标为50%，商品编号A_1；'
        "店招写着 Best Price。",
        closed_on=date(2022, 1, 20),
        expires_on=date(2032, 1, 20),
        archived_at=T0 + timedelta(days=5),
    ),
    6: Row(
        "秀洲区某某网络科技有限公司",
        "当事人：秀洲区某某网络科技有限公司\n网店首页未公示营业执照信息，"
        "平台内经营者身份未核验，刷单炒信虚构交易量。",
        closed_on=date(2023, 11, 30),
        retention_class="D5",
        expires_on=date(2028, 11, 30),
        archived_at=T0 + timedelta(days=6),
    ),
}


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on an empty, migrated database."""
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _insert(sessions: sessionmaker[Session], rows: dict[int, Row]) -> None:
    with transaction(sessions) as s:
        for i, row in rows.items():
            s.add(
                Case(
                    id=i,
                    case_no=f"中村约〔{row.closed_on.year}〕{i}号",
                    agency_code="zc",
                    year=row.closed_on.year,
                    seq=i,
                    status=CaseStatus.archived,
                    party_name=row.party,
                    party_kind=PartyKind.enterprise,
                    cause="约谈",
                    clue_received_on=row.closed_on - timedelta(days=30),
                    major=False,
                    livelihood=False,
                    urgent=False,
                    client_id="test",
                    created_by="user:clerk",
                    created_at=T0,
                    updated_at=T0,
                )
            )
        s.flush()
        for i, row in rows.items():
            s.add(
                Archive(
                    id=i,
                    case_id=i,
                    archive_no=f"J001-{row.closed_on.year}-{row.retention_class}-{i:04d}",
                    fonds_no="J001",
                    year=row.closed_on.year,
                    item_no=i,
                    retention_class=row.retention_class,
                    closed_on=row.closed_on,
                    expires_on=row.expires_on,
                    status=row.status,
                    case_no=f"中村约〔{row.closed_on.year}〕{i}号",
                    party_name=row.party,
                    object_key=f"archives/{i}.pdf",
                    sha256="0" * 64,
                    size=1000,
                    page_count=3,
                    verify_id=f"v{i:08d}",
                    contents=[],
                    integrity={},
                    versions=1,
                    archived_at=row.archived_at,
                    archived_by="user:archivist",
                )
            )
        s.flush()
        s.add_all(ArchiveText(archive_id=i, body=row.body) for i, row in rows.items())


@pytest.fixture
def corpus(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The six archives of ``CORPUS``."""
    _insert(sessions, CORPUS)
    return sessions


def _find(sessions: sessionmaker[Session], **kwargs: object) -> tuple[list[int], int]:
    hits, total = _hits(sessions, **kwargs)
    return [h.archive.id for h in hits], total


def _hits(sessions: sessionmaker[Session], **kwargs: object) -> tuple[list[ArchiveHit], int]:
    with sessions() as s:
        return search(s, ArchiveQuery(**kwargs))  # type: ignore[arg-type]


def _containing(q: str) -> set[int]:
    """The oracle: archives whose text holds every term of ``q``, ignoring case."""
    terms = q.lower().split()
    return {i for i, row in CORPUS.items() if all(t in row.body.lower() for t in terms)}


# --- full text -----------------------------------------------------------------------------


def test_two_character_query_finds_party_in_text(corpus: sessionmaker[Session]) -> None:
    hits, total = _hits(corpus, q="鑫源")
    assert {h.archive.id for h in hits} == {1, 4} and total == 2
    for hit in hits:
        assert hit.snippet is not None and "<mark>鑫源</mark>" in hit.snippet


def test_two_character_term_ending_a_text_is_found(corpus: sessionmaker[Session]) -> None:
    # Archive 4's text ends with 餐饮: no trigram of it starts with the term.
    assert set(_find(corpus, q="餐饮")[0]) == {1, 4}
    hit = next(h for h in _hits(corpus, q="餐饮")[0] if h.archive.id == 4)
    assert hit.snippet is not None and hit.snippet.endswith("<mark>餐饮</mark>")


def test_four_character_query_finds_the_archive_and_marks_the_match(
    corpus: sessionmaker[Session],
) -> None:
    hits, total = _hits(corpus, q="消防通道")
    assert [h.archive.id for h in hits] == [1] and total == 1
    text = hits[0].snippet
    assert text is not None and "<mark>消防通道</mark>" in text
    before, after = text.split("<mark>消防通道</mark>")
    assert before.startswith("…") and len(before) == 1 + 30
    assert after.endswith("…") and len(after) == 30 + 1


def test_two_and_four_character_queries_are_distinct(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, q="消防")[0]) == {1, 2}
    assert _find(corpus, q="消防设施")[0] == [2]


def test_every_term_must_occur(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, q="鑫源 消防")[0]) == {1}
    assert set(_find(corpus, q="消防 灭火器")[0]) == {2}
    assert _find(corpus, q="鑫源 灭火器") == ([], 0)


def test_every_term_is_marked_in_the_snippet(corpus: sessionmaker[Session]) -> None:
    [hit], _ = _hits(corpus, q="灭火器 消防")
    assert hit.snippet is not None
    assert "<mark>灭火器</mark>" in hit.snippet and "<mark>消防</mark>" in hit.snippet


def test_latin_letters_match_regardless_of_case(corpus: sessionmaker[Session]) -> None:
    assert _find(corpus, q="best price")[0] == [5]
    assert _find(corpus, q="bE")[0] == [5]
    assert _find(corpus, q="a_1")[0] == [5]


def test_snippet_escapes_html_around_the_mark(corpus: sessionmaker[Session]) -> None:
    [hit], _ = _hits(corpus, q="特效药")
    assert hit.snippet == (
        "当事人：海宁市华美医药商行 网页标题写有&lt;b&gt;<mark>特效药</mark>&lt;/b&gt;"
        "字样 &amp; 未凭处方销售处方药。"
    )


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "%",
        "_",
        "'",
        "\\",
        "NEAR(",
        "NEAR(消防 通道)",
        '"消防',
        "消防 OR 灭火器",
        "消防 AND",
        "NOT 消防",
        "*消防*",
        "消防*",
        "(消防)",
        "^消防",
        "body:消防",
        "50%",
        "%_",
        '"全网',
        '宣传"全网最低价"',
        "''",
        "100%_优选",
        "%%",
        "__",
    ],
)
def test_query_syntax_in_user_input_is_literal(corpus: sessionmaker[Session], q: str) -> None:
    ids, total = _find(corpus, q=q)
    assert set(ids) == _containing(q) and total == len(ids)


def test_term_found_nowhere_finds_nothing(corpus: sessionmaker[Session]) -> None:
    assert _find(corpus, q="危化") == ([], 0)
    assert _find(corpus, q="危险化学品") == ([], 0)
    assert _find(corpus, q="危") == ([], 0)


def test_changed_text_is_found_by_its_new_words_only(corpus: sessionmaker[Session]) -> None:
    with transaction(corpus) as s:
        s.get_one(ArchiveText, 2).body = "整改报告已提交"
    assert _find(corpus, q="整改")[0] == [2] and _find(corpus, q="报告已提交")[0] == [2]
    assert _find(corpus, q="灭火器")[0] == []


def test_term_longer_than_the_indexed_runs_is_confirmed_against_the_text(
    sessions: sessionmaker[Session],
) -> None:
    # Text 1 has both four-character runs of 约谈约谈约, but not the term itself.
    _insert(sessions, {1: Row("甲", "约谈约谈，谈约谈约"), 2: Row("乙", "约谈约谈约")})
    assert _find(sessions, q="约谈约谈约") == ([2], 1)
    assert set(_find(sessions, q="谈约谈约")[0]) == {1, 2}
    assert set(_find(sessions, q="约谈约谈")[0]) == {1, 2}


def test_search_survives_the_migrations_down_and_up(
    corpus: sessionmaker[Session], database_url: str
) -> None:
    engine = make_engine(database_url)
    try:
        downgrade(engine, "0005")
        upgrade(engine)
    finally:
        engine.dispose()
    assert set(_find(corpus, q="鑫源")[0]) == {1, 4}
    assert _find(corpus, q="消防通道")[0] == [1]
    with transaction(corpus) as s:  # the index still follows changes (SQLite: its triggers)
        s.get_one(ArchiveText, 2).body = "整改报告已提交"
    assert _find(corpus, q="整改")[0] == [2] and _find(corpus, q="报告已提交")[0] == [2]


def test_one_character_term_is_found(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, q="灭")[0]) == {2}
    assert set(_find(corpus, q="鑫 司")[0]) == {1}


def test_relevance_ranks_more_occurrences_first(sessions: sessionmaker[Session]) -> None:
    base = "当事人：某某公司。" + PROCEDURE
    _insert(
        sessions,
        {
            1: Row("甲", base + "燃气管道一处。"),
            2: Row("乙", base + "燃气管道、燃气管道、燃气管道三处。"),
            3: Row("丙", base + "无关。"),
            4: Row("丁", base + "燃气管道、燃气管道两处。"),
        },
    )
    assert _find(sessions, q="燃气管道", sort="relevance")[0] == [2, 4, 1]
    assert _find(sessions, q="燃气", sort="relevance")[0] == [2, 4, 1]


def test_snippet_without_match_is_none() -> None:
    assert snippet("没有命中的文本", ["消防"]) is None


def test_snippet_of_a_short_text_has_no_ellipsis() -> None:
    assert snippet("消防通道堵塞", ["通道"]) == "消防<mark>通道</mark>堵塞"


def test_snippet_folds_whitespace_and_keeps_the_text_case() -> None:
    assert snippet("店招\n写着  Best Price。", ["best"]) == "店招 写着 <mark>Best</mark> Price。"


# --- filters -------------------------------------------------------------------------------


def test_case_no_is_exact(corpus: sessionmaker[Session]) -> None:
    assert _find(corpus, case_no="中村约〔2019〕2号") == ([2], 1)
    assert _find(corpus, case_no="中村约〔2019〕2") == ([], 0)


def test_party_is_a_substring_of_the_party_name(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, party="鑫源")[0]) == {1, 4}
    assert _find(corpus, party="恒达建材")[0] == [2]
    assert _find(corpus, party="100%_")[0] == [5]
    assert _find(corpus, party="%") == ([5], 1)
    assert _find(corpus, party="_")[0] == [5]
    assert _find(corpus, party="湖市恒达建材有限")[0] == [2]  # longer than the indexed runs
    assert _find(corpus, party="桐乡市100%_优选")[0] == [5]
    assert _find(corpus, party="恒达 建材") == ([], 0)  # whitespace is part of the value


def test_closing_dates_bound_inclusively(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, date_from=date(2021, 8, 15))[0]) == {4, 5, 6}
    assert set(_find(corpus, date_to=date(2019, 5, 10))[0]) == {2, 3}
    window = {"date_from": date(2019, 5, 10), "date_to": date(2021, 8, 15)}
    assert set(_find(corpus, **window)[0]) == {1, 2, 4}


def test_retention_class_and_status_filter(corpus: sessionmaker[Session]) -> None:
    assert set(_find(corpus, retention_class="D10")[0]) == {1, 3, 5}
    assert _find(corpus, status="destroyed") == ([3], 1)
    assert set(_find(corpus, status="archived")[0]) == {1, 2, 4, 5, 6}


def test_expires_before_excludes_permanent_and_the_day_itself(
    corpus: sessionmaker[Session],
) -> None:
    assert set(_find(corpus, expires_before=date(2030, 3, 1))[0]) == {3, 6}
    assert set(_find(corpus, expires_before=date(2030, 3, 2))[0]) == {1, 3, 6}
    ids, total = _find(corpus, expires_before=date(9999, 12, 31))
    assert 4 not in ids and total == 5


def test_filters_combine_with_and(corpus: sessionmaker[Session]) -> None:
    assert _find(corpus, q="消防", retention_class="D30")[0] == [2]
    assert _find(corpus, q="约谈", status="archived", expires_before=date(2031, 1, 1))[0] == [1]
    assert _find(corpus, party="鑫源", date_from=date(2021, 1, 1))[0] == [4]
    combined = {"q": "当事人", "retention_class": "D10", "status": "archived"}
    assert set(_find(corpus, **combined, date_to=date(2020, 12, 31))[0]) == {1}
    assert _find(corpus, **combined, party="华美") == ([], 0)


# --- order, pages, counts ------------------------------------------------------------------


def test_default_order_is_newest_archived_first(corpus: sessionmaker[Session]) -> None:
    assert _find(corpus)[0] == [6, 5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("archived_at", [1, 2, 3, 4, 5, 6]),
        ("closed_on", [3, 2, 1, 4, 5, 6]),
        ("-closed_on", [6, 5, 4, 1, 2, 3]),
        ("archive_no", [3, 2, 1, 4, 5, 6]),
        ("expires_on", [3, 6, 1, 5, 2, 4]),
        ("-expires_on", [4, 2, 5, 1, 6, 3]),
    ],
)
def test_sort_keys_and_directions(
    corpus: sessionmaker[Session], sort: str, expected: list[int]
) -> None:
    assert _find(corpus, sort=sort)[0] == expected


def test_pages_are_stable_and_complete_with_equal_sort_keys(
    sessions: sessionmaker[Session],
) -> None:
    # Every archive shares one archived_at: only the id can order them.
    rows = {i: Row(f"当事人{i}", f"第{i}号档案，消防检查记录。") for i in range(1, 24)}
    _insert(sessions, rows)
    for sort, ids in (("-archived_at", list(range(23, 0, -1))), ("archived_at", [*range(1, 24)])):
        pages = [_find(sessions, q="消防", sort=sort, limit=5, offset=o) for o in range(0, 25, 5)]
        assert [i for page, _ in pages for i in page] == ids
        assert {total for _, total in pages} == {23}


def test_total_counts_every_match_beyond_the_page(sessions: sessionmaker[Session]) -> None:
    rows = {
        i: Row(f"当事人{i}", f"记录{i}：" + ("燃气泄漏。" if i % 3 == 0 else "卫生检查。"))
        for i in range(1, 31)
    }
    _insert(sessions, rows)
    assert _find(sessions, q="燃气", limit=3)[1] == 10
    assert _find(sessions, party="当事人1", limit=2)[1] == 11  # 1, 10..19
    assert _find(sessions, limit=1)[1] == 30
    assert _find(sessions, q="燃气", offset=50) == ([], 10)
    assert _find(sessions, party="当事人2", offset=40) == ([], 11)


@pytest.mark.parametrize("collect", [search_module.COLLECT, 0])
def test_rare_and_common_filters_order_and_count_alike(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, collect: int
) -> None:
    # Few matches are collected and sorted, many paged along the index: the same answers.
    monkeypatch.setattr(search_module, "COLLECT", collect)
    rows = {
        i: Row(
            "稀有商行" if i % 10 == 0 else f"常见公司{i}",
            "记录",
            archived_at=T0 + timedelta(hours=(i * 7) % 40),
        )
        for i in range(1, 41)
    }
    _insert(sessions, rows)

    def expected(party: str) -> list[int]:
        found = [i for i, row in rows.items() if party in row.party]
        return sorted(found, key=lambda i: (rows[i].archived_at, i), reverse=True)

    for party in ("稀有", "常见"):
        assert _find(sessions, party=party, limit=200) == (expected(party), len(expected(party)))
        assert _find(sessions, party=party, limit=3, offset=2) == (
            expected(party)[2:5],
            len(expected(party)),
        )
        assert _find(sessions, party=party, offset=100) == ([], len(expected(party)))
    assert _find(sessions, party="没有") == ([], 0)


@pytest.mark.parametrize(
    ("collect", "walk"),
    [(search_module.COLLECT, search_module.WALK), (0, search_module.WALK), (0, 0)],
)
@pytest.mark.parametrize("sort", ["-archived_at", "archived_at", "expires_on", "-expires_on"])
def test_common_terms_page_alike_collected_or_walked(
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    collect: int,
    walk: int,
    sort: str,
) -> None:
    # PostgreSQL walks the archives in order for many matches of the text alone, unless the
    # page lies too deep.
    monkeypatch.setattr(search_module, "COLLECT", collect)
    monkeypatch.setattr(search_module, "WALK", walk)
    rows = {
        i: Row(
            f"公司{i}",
            "整改到位" if i % 3 else "未整改",
            archived_at=T0 + timedelta(hours=(i * 7) % 40),
            expires_on=None if i % 5 == 0 else date(2030, 1, 1 + i % 4),
        )
        for i in range(1, 41)
    }
    _insert(sessions, rows)
    key = sort.lstrip("-")

    def sort_key(i: int) -> tuple[object, ...]:
        value = getattr(rows[i], key)
        return (value is None, value or date.min, i) if key == "expires_on" else (value, i)

    found = sorted((i for i in rows if i % 3), key=sort_key, reverse=sort.startswith("-"))
    assert _find(sessions, q="整改到位", sort=sort, limit=200) == (found, len(found))
    assert _find(sessions, q="整改到位", sort=sort, limit=4, offset=3) == (found[3:7], len(found))
    assert _find(sessions, q="整改到位", sort=sort, limit=5, offset=25) == (found[25:], len(found))
    assert _find(sessions, q="整改到位", sort=sort, offset=100) == ([], len(found))


def test_destroyed_and_filtered_archives_page_independently(
    corpus: sessionmaker[Session],
) -> None:
    first = _find(corpus, status="archived", limit=2)
    second = _find(corpus, status="archived", limit=2, offset=2)
    assert first == ([6, 5], 5) and second == ([4, 2], 5)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ArchiveQuery(limit=0), "limit"),
        (ArchiveQuery(limit=201), "limit"),
        (ArchiveQuery(offset=-1), "offset"),
        (ArchiveQuery(sort="party_name"), "sort"),
        (ArchiveQuery(sort="relevance"), "sort"),
        (ArchiveQuery(sort="--archived_at"), "sort"),
        (ArchiveQuery(status="lost"), "status"),
        (ArchiveQuery(q="消" * 201), "q"),
    ],
)
def test_bad_queries_name_the_field(
    corpus: sessionmaker[Session], query: ArchiveQuery, field: str
) -> None:
    with corpus() as s, pytest.raises(FieldError) as caught:
        search(s, query)
    problems = caught.value.detail
    assert isinstance(problems, list) and [p["field"] for p in problems] == [field]


def test_limit_bounds_are_accepted(corpus: sessionmaker[Session]) -> None:
    assert len(_find(corpus, limit=1)[0]) == 1
    assert len(_find(corpus, limit=200)[0]) == 6
    assert _find(corpus, q="   ")[1] == 6
