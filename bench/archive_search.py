"""Archive search latency at 10k and 100k archives on SQLite (and PostgreSQL when configured).

Loads synthetic archives with Chinese dossier texts (1.6–3.3 KB of UTF-8, 2.4 KB on average,
drawn from enforcement phrases and generated party names) into a fresh, migrated SQLite file
and, when ``TEST_DATABASE_URL`` is set, into a fresh PostgreSQL schema dropped at the end,
bypassing the ORM (executemany on SQLite, COPY on PostgreSQL). Then times
``service.archives.search.search`` for each query kind at each size, twice (the first pass
meets a cold cache: on a small PostgreSQL buffer pool that costs tens of milliseconds; the
second is the steady state), and once more at the largest size after adding the indexes in
``PROPOSED`` (not in the migrations).

    .venv/bin/python bench/archive_search.py [--sizes 10000,100000] [--queries 50] [--sqlite-only]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from service.archives.models import Archive, ArchiveText
from service.archives.search import ArchiveQuery, search
from service.cases.models import Case
from service.db import make_engine
from service.migrate import upgrade

SEED = 20261122
ARCHIVE_COLUMNS = set(Archive.__table__.c.keys())
# Indexes that would serve the search better (not in the migrations; see the report).
PROPOSED: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "sqlite": (
        [
            "CREATE INDEX IF NOT EXISTS ix_archive_texts_body_tail "
            "ON archive_texts (lower(substr(body, -2)))",
            "CREATE INDEX IF NOT EXISTS ix_archives_retention_class_expires_on "
            "ON archives (retention_class, expires_on)",
            "CREATE INDEX IF NOT EXISTS ix_archives_closed_on ON archives (closed_on)",
        ],
        ("fulltext_2char", "fulltext_4char", "party", "class_expires", "combined"),
    ),
    "postgresql": (
        [
            "CREATE INDEX IF NOT EXISTS ix_archives_retention_class_expires_on "
            "ON archives (retention_class, expires_on)",
            "CREATE INDEX IF NOT EXISTS ix_archives_closed_on ON archives (closed_on)",
        ],
        ("class_expires",),
    ),
}
KINDS = ("fulltext_2char", "fulltext_4char", "party", "class_expires", "combined")

CITIES = [
    "中村市",
    "南湖区",
    "秀洲区",
    "嘉善县",
    "平湖市",
    "海宁市",
    "桐乡市",
    "海盐县",
    "江北区",
    "鹿城区",
    "瓯海区",
    "柯桥区",
    "越城区",
    "婺城区",
    "椒江区",
    "莲都区",
]
TRADE_FIRST = "鑫恒华泰金宏盛达隆兴瑞祥德润福康安和美丰"
TRADE_SECOND = "源通晟佳宇辉远凯嘉豪锦丽邦航信诚"
INDUSTRIES = {
    "餐饮管理": ["食品安全", "消防"],
    "食品": ["食品安全", "价格"],
    "建材": ["产品质量", "消防"],
    "物流": ["特种设备", "消防"],
    "医药": ["药品", "广告"],
    "超市": ["食品安全", "价格", "计量"],
    "燃气": ["燃气", "特种设备"],
    "化工": ["危化品", "消防"],
    "建筑工程": ["特种设备", "安全生产"],
    "网络科技": ["网络交易", "广告"],
    "电子商务": ["网络交易", "价格"],
    "教育咨询": ["广告", "价格"],
    "房地产开发": ["广告", "安全生产"],
    "汽车销售": ["价格", "产品质量"],
    "美容美发": ["广告", "价格"],
    "酒店管理": ["消防", "食品安全"],
    "农产品": ["食品安全", "计量"],
    "五金机电": ["产品质量", "计量"],
    "服装": ["产品质量", "广告"],
    "印刷": ["安全生产", "消防"],
}
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "商行", "经营部", "门市部"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ROADS = ["湖滨路", "中山路", "解放路", "人民路", "建设路", "文昌路", "环城北路", "新华路"]
TOPIC_FACTS = {
    "食品安全": [
        "后厨环境卫生不符合食品安全标准，地面存在积水和油污",
        "部分从业人员未取得健康证明即上岗从事接触直接入口食品的工作",
        "冷藏柜内存放超过保质期的食品原料，未作明显标示",
        "未按规定公示食品经营许可证和量化分级信息",
        "生熟食品混放，留样记录不完整",
    ],
    "消防": [
        "消防通道被杂物堵塞，安全出口上锁",
        "灭火器超过有效期未更换，消火栓被遮挡",
        "疏散指示标志损坏，应急照明不能正常使用",
        "电气线路私拉乱接，存在火灾隐患",
    ],
    "价格": [
        "商品未明码标价，收费项目未公示",
        "以虚构原价的方式进行促销，误导消费者",
        "在标价之外加价收取未予标明的费用",
    ],
    "产品质量": [
        "销售的部分产品经抽样检验不合格",
        "产品标识不符合规定，未标明生产日期和厂名厂址",
        "以次充好，以不合格产品冒充合格产品销售",
    ],
    "特种设备": [
        "电梯未按期进行定期检验，检验合格标志过期",
        "叉车操作人员未取得特种设备作业人员证",
        "压力容器安全附件未定期校验",
    ],
    "药品": [
        "未凭处方销售处方药，处方药与非处方药未分区陈列",
        "药品储存温度记录不全，阴凉区温度超标",
        "执业药师不在岗时仍销售处方药",
    ],
    "广告": [
        "发布的广告中使用国家级、最高级、最佳等绝对化用语",
        "广告中对效果作出保证性承诺，构成虚假宣传",
        "未经审查发布医疗器械广告",
    ],
    "计量": ["使用未经检定的电子计价秤", "计量器具超过检定周期仍在使用，存在短斤缺两"],
    "燃气": [
        "燃气管道未安装泄漏报警装置",
        "液化石油气钢瓶存放在地下室，未设置通风设施",
        "瓶装燃气供应站向无资质单位供气",
    ],
    "危化品": ["危险化学品仓库未设置明显警示标志", "危险化学品出入库台账记录不全"],
    "网络交易": [
        "网络交易平台未履行对平台内经营者的身份核验义务",
        "网店首页未公示营业执照信息",
        "刷单炒信，虚构交易量和用户评价",
    ],
    "安全生产": [
        "未按规定开展安全生产教育和培训",
        "有限空间作业未执行先通风、再检测、后作业的规定",
        "安全生产责任制未落实到岗位",
    ],
}
PROCEDURE = [
    "约谈人向被约谈人出示了执法证件，告知了约谈的事由、依据和被约谈人享有的权利与义务。",
    "被约谈人表示已清楚知悉，不申请有关人员回避。",
    "执法人员对现场检查发现的问题进行了通报，并听取了被约谈人的陈述和申辩。",
    "被约谈人对上述问题无异议，承诺在规定期限内完成整改，并提交书面整改报告。",
    "约谈人依据《中华人民共和国行政处罚法》及相关法律法规，提出如下整改要求：",
    "一、立即对存在的问题进行全面自查自纠，建立问题清单和整改台账；",
    "二、落实企业主体责任，明确整改责任人和完成时限；",
    "三、加强从业人员的法律法规培训，提高依法经营意识；",
    "四、整改完成后十个工作日内向本局书面报告整改情况。",
    "逾期未整改或者整改不到位的，本局将依法立案查处，并纳入信用监管。",
    "以上笔录经被约谈人核对无误，签字确认。",
    "复查意见：经现场复查，被约谈人已按要求完成整改，相关问题已消除。",
    "整改报告载明：已更换过期设施，完善了管理制度，组织全员培训两次。",
    "根据《市场监督管理行政约谈工作规定》第八条的规定，决定对当事人进行行政约谈。",
    "线索核查报告：经核查，举报反映的情况基本属实，建议进行约谈。",
    "审批意见：同意约谈，由承办人按程序组织实施。",
    "约谈通知书已于约谈前三个工作日送达当事人，送达回证附卷。",
    "本局认为，当事人的上述行为违反了相关法律法规的规定，应当予以纠正。",
]
RETENTIONS = [("Y", None, 1), ("D30", 30, 2), ("D10", 10, 4), ("D5", 5, 3)]  # code, years, weight


@dataclass(frozen=True)
class Party:
    """A generated party and the words that make up its name."""

    name: str
    city: str
    trade: str
    industry: str


def _party(rng: random.Random) -> Party:
    city = rng.choice(CITIES)
    trade = rng.choice(TRADE_FIRST) + rng.choice(TRADE_SECOND)
    industry = rng.choice(list(INDUSTRIES))
    form = rng.choice(FORMS)
    return Party(f"{city}{trade}{industry}{form}", city, trade, industry)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "某" + rng.choice("某甲乙丙")


def _body(rng: random.Random, party: Party, case_no: str, closed: date) -> str:
    """A dossier's extracted text: the interview record, the facts, the procedure."""
    topics = rng.sample(INDUSTRIES[party.industry], k=len(INDUSTRIES[party.industry]))
    topics = topics[: rng.randint(1, len(topics))]
    facts = [f for t in topics for f in rng.sample(TOPIC_FACTS[t], k=min(2, len(TOPIC_FACTS[t])))]
    interview = closed - timedelta(days=rng.randint(20, 90))
    head = (
        f"{party.city}市场监督管理局行政约谈笔录\n案号：{case_no}\n当事人：{party.name}\n"
        f"统一社会信用代码：9133{rng.randrange(10**13):013d}X\n"
        f"法定代表人（负责人）：{_person(rng)}\n"
        f"地址：{party.city}{rng.choice(ROADS)}{rng.randint(1, 999)}号\n"
        f"约谈时间：{interview:%Y年%m月%d日}\n约谈人：{_person(rng)}、{_person(rng)}\n"
        f"约谈事由：{facts[0]}。\n"
    )
    lines = [head, f"经查，{party.name}存在以下问题：" + "；".join(facts) + "。"]
    procedure = rng.sample(PROCEDURE, k=rng.randint(9, len(PROCEDURE)))
    for i, sentence in enumerate(procedure):
        lines.append(sentence)
        if i % 4 == 2:
            lines.append(
                f"{party.name}（{party.trade}）的负责人{_person(rng)}表示：{rng.choice(facts)}的问题已整改。"
            )
    lines.append(f"结案日期：{closed:%Y年%m月%d日}。承办人：{_person(rng)}。")
    return "\n".join(lines)


def _rows(start: int, count: int, rng: random.Random) -> Iterator[tuple[dict[str, Any], ...]]:
    """Case, archive and text rows for ids ``start .. start + count - 1``."""
    for i in range(start, start + count):
        party = _party(rng)
        closed = date(2014, 1, 1) + timedelta(days=rng.randrange(12 * 365))
        archived = datetime.combine(closed, datetime.min.time(), UTC) + timedelta(
            days=rng.randint(1, 60), seconds=rng.randrange(86400)
        )
        rclass, years, _ = rng.choices(RETENTIONS, weights=[w for *_, w in RETENTIONS])[0]
        expires = None if years is None else closed.replace(year=closed.year + years, day=1)
        destroyed = expires is not None and expires < date(2026, 1, 1) and rng.random() < 0.7
        case_no = f"{party.city[:2]}约〔{closed.year}〕{i}号"
        case = {
            "id": i,
            "case_no": case_no,
            "agency_code": "zc",
            "year": closed.year,
            "seq": i,
            "status": "destroyed" if destroyed else "archived",
            "party_name": party.name,
            "party_kind": "enterprise",
            "party_id_code": None,
            "party_representative": None,
            "party_address": None,
            "party_phone": None,
            "cause": "约谈",
            "major": False,
            "livelihood": False,
            "urgent": False,
            "clue_received_on": closed - timedelta(days=90),  # NOT NULL since the process issue
            "outcome": "passed",
            "closed_at": archived,
            "archive_error": None,
            "external_ref": None,
            "client_id": "bench",
            "created_by": "bench",
            "created_at": archived,
            "updated_at": archived,
        }
        archive = {
            "id": i,
            "case_id": i,
            "archive_no": f"J001-{closed.year}-{rclass}-{i:06d}",
            "fonds_no": "J001",
            "year": closed.year,
            "item_no": i,
            "retention_class": rclass,
            "retention_reason": None,
            "closed_on": closed,
            "expires_on": expires,
            "status": "destroyed" if destroyed else "archived",
            "case_no": case_no,
            "party_name": party.name,
            "interview_on": closed - timedelta(days=30),
            "object_key": f"archives/{closed.year}/{i}.pdf",
            "version_id": uuid.uuid4().hex,
            "sha256": "0" * 64,
            "size": 100_000 + i,
            "page_count": 12,
            "verify_id": f"v{i:015d}",
            "contents": [{"no": n, "title": f"文书{n}", "pages": 1} for n in range(1, 9)],
            "integrity": {"authentic": True, "complete": True, "usable": True, "secure": True},
            "versions": 1,
            "archived_at": archived,
            "archived_by": "user:archivist",
            "retain_until": None
            if expires is None
            else datetime.combine(expires, datetime.min.time(), UTC),
        }
        archive = {k: v for k, v in archive.items() if k in ARCHIVE_COLUMNS}
        text = {"archive_id": i, "body": _body(rng, party, case_no, closed)}
        yield case, archive, text


def load(engine: Engine, start: int, count: int, rng: random.Random) -> float:
    """Bulk-load ``count`` archives, then vacuum and analyze; returns the seconds taken.

    On PostgreSQL the GIN indexes are dropped for the load and built again after it, as a bulk
    load does (building one is much faster than inserting into it row by row); the vacuum
    leaves the tables as autovacuum would soon after.
    """
    t0 = time.perf_counter()
    postgresql = engine.dialect.name == "postgresql"
    rebuild = _drop_gin_indexes(engine) if postgresql else []
    batch = 5000
    rows = _rows(start, count, rng)
    while True:
        chunk = [r for _, r in zip(range(batch), rows, strict=False)]
        if not chunk:
            break
        cases, archives, texts = (list(c) for c in zip(*chunk, strict=True))
        if postgresql:
            _copy(engine, cases, archives, texts)
        else:
            with engine.begin() as conn:
                conn.execute(sa.insert(Case), cases)
                conn.execute(sa.insert(Archive), archives)
                conn.execute(sa.insert(ArchiveText), texts)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if postgresql:
            conn.execute(sa.text("SET maintenance_work_mem = '256MB'"))
        for statement in rebuild:
            conn.execute(sa.text(statement))
        conn.execute(sa.text("VACUUM ANALYZE" if postgresql else "ANALYZE"))
    return time.perf_counter() - t0


def _drop_gin_indexes(engine: Engine) -> list[str]:
    """Drop the schema's GIN indexes; returns the statements that make them again."""
    with engine.begin() as conn:
        indexes = conn.execute(
            sa.text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND indexdef LIKE '% USING gin %'"
            )
        ).all()
        for name, _ in indexes:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
    return [definition for _, definition in indexes]


def _copy(
    engine: Engine,
    cases: list[dict[str, Any]],
    archives: list[dict[str, Any]],
    texts: list[dict[str, Any]],
) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            for table, rows in (("cases", cases), ("archives", archives), ("archive_texts", texts)):
                columns = list(rows[0])
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([_pg_value(row[c]) for c in columns])
        raw.commit()
    finally:
        raw.close()


def _pg_value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


@dataclass
class Vocabulary:
    """Words that occur in the loaded data, to draw queries from."""

    trades: list[str]
    trade_industries: list[str]
    phrases: list[str]


def vocabulary() -> Vocabulary:
    """Query words drawn from the generator's own vocabulary."""
    trades = [a + b for a in TRADE_FIRST for b in TRADE_SECOND]
    trade_industries = [t + i[:2] for t in trades for i in INDUSTRIES]
    phrases = [
        "健康证明",
        "消防通道",
        "明码标价",
        "定期检验",
        "处方药与",
        "绝对化用",
        "检定周期",
        "泄漏报警",
        "警示标志",
        "身份核验",
        "有限空间",
        "抽样检验",
    ]
    return Vocabulary(trades, trade_industries, phrases)


def queries(kind: str, n: int, rng: random.Random) -> list[ArchiveQuery]:
    """``n`` queries of one kind."""
    v = vocabulary()
    out: list[ArchiveQuery] = []
    for _ in range(n):
        if kind == "fulltext_2char":
            out.append(ArchiveQuery(q=rng.choice(v.trades)))
        elif kind == "fulltext_4char":
            pool = v.trade_industries if rng.random() < 0.7 else v.phrases
            out.append(ArchiveQuery(q=rng.choice(pool)))
        elif kind == "party":
            out.append(ArchiveQuery(party=rng.choice(v.trades + v.trade_industries)))
        elif kind == "class_expires":
            year = rng.randint(2024, 2050)
            out.append(
                ArchiveQuery(
                    retention_class=rng.choice(["D5", "D10", "D30"]),
                    expires_before=date(year, rng.randint(1, 12), 1),
                    sort="expires_on",
                )
            )
        else:
            y = rng.randint(2014, 2023)
            out.append(
                ArchiveQuery(
                    q=rng.choice(v.trades + v.phrases),
                    date_from=date(y, 1, 1),
                    date_to=date(y + rng.randint(0, 3), 12, 31),
                    retention_class=rng.choice([None, "D5", "D10", "D30", "Y"]),
                    status="archived",
                    sort=rng.choice(["-archived_at", "closed_on", "relevance"]),
                )
            )
    return out


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def time_kind(sessions: Callable[[], Session], batch: list[ArchiveQuery]) -> dict[str, float]:
    """p50/p95 milliseconds and hit counts of a batch of queries, run twice.

    The first pass is the first touch of the pages these queries need, straight after the
    load (``cold_*``); the second is the steady state of a working database, whose cache holds
    what searches read (the plain figures).
    """
    cold: list[float] = []
    timings: list[float] = []
    totals: list[int] = []
    with sessions() as session:
        search(session, batch[0])  # open the connection
        session.rollback()
        for timed in (cold, timings):
            totals.clear()
            for query in batch:
                t0 = time.perf_counter()
                _, total = search(session, query)
                timed.append((time.perf_counter() - t0) * 1000)
                totals.append(total)
                session.rollback()
    return {
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "max_ms": round(max(timings), 2),
        "cold_p95_ms": round(percentile(cold, 95), 2),
        "cold_max_ms": round(max(cold), 2),
        "median_hits": statistics.median(totals),
        "max_hits": max(totals),
    }


def bench_backend(backend: str, engine: Engine, sizes: tuple[int, ...], n: int) -> dict[str, Any]:
    """Load each size in turn and time every query kind; then again with the proposed indexes."""
    rng = random.Random(SEED)
    out: dict[str, Any] = {}
    loaded = 0
    for size in sorted(sizes):
        seconds = load(engine, loaded + 1, size - loaded, rng)
        print(f"{backend}: loaded {size - loaded} archives (to {size}) in {seconds:.1f} s")
        loaded = size
        out[str(size)] = _time_kinds(backend, engine, size, KINDS, n)
        out[str(size)]["load_s"] = round(seconds, 1)
    statements, kinds = PROPOSED[backend]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
        conn.execute(sa.text("ANALYZE"))
    print(f"{backend}: with the proposed indexes")
    out["proposed_indexes"] = _time_kinds(backend, engine, loaded, kinds, n)
    return out


def _time_kinds(
    backend: str, engine: Engine, size: int, kinds: tuple[str, ...], n: int
) -> dict[str, Any]:
    by_kind: dict[str, Any] = {}
    qrng = random.Random(SEED + size)
    for kind in KINDS:
        batch = queries(kind, n, qrng)  # drawn for every kind: the same queries each run
        if kind not in kinds:
            continue
        f = time_kind(lambda: Session(engine), batch)
        by_kind[kind] = f
        print(
            f"{backend:<10} {size:>7} {kind:<15} p50 {f['p50_ms']:7.2f} ms  "
            f"p95 {f['p95_ms']:7.2f} ms  max {f['max_ms']:7.2f} ms  "
            f"cold p95 {f['cold_p95_ms']:7.2f} ms  "
            f"hits median {f['median_hits']:g} max {f['max_hits']:g}"
        )
    return by_kind


def _sqlite(sizes: tuple[int, ...], n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            upgrade(engine)
            return bench_backend("sqlite", engine, sizes, n)
        finally:
            engine.dispose()


def _postgresql(database_url: str, sizes: tuple[int, ...], n: int) -> dict[str, Any]:
    admin = sa.create_engine(database_url)
    schema = f"anjuan_bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in database_url else "?"
    engine = make_engine(f"{database_url}{sep}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        return bench_backend("postgresql", engine, sizes, n)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def run(
    sizes: tuple[int, ...] = (10_000, 100_000),
    database_url: str | None = None,
    queries_per_kind: int = 50,
) -> dict[str, Any]:
    """Run the bench: figures by backend, size and kind, and the worst p95 per backend and size.

    ``search_p95_ms_<size>`` is SQLite's worst p95 across the query kinds, on the schema as
    migrated, with the cache warm (``search_cold_p95_ms_<size>``: the first pass after the
    load); ``..._postgresql`` the same on PostgreSQL; ``..._proposed_indexes`` at the largest
    size after adding the indexes in ``PROPOSED``.
    """
    result: dict[str, Any] = {"sizes": list(sizes), "queries_per_kind": queries_per_kind}
    backends = {"sqlite": _sqlite(sizes, queries_per_kind)}
    if database_url:
        backends["postgresql"] = _postgresql(database_url, sizes, queries_per_kind)
    for backend, figures in backends.items():
        suffix = "" if backend == "sqlite" else f"_{backend}"
        for size in sizes:
            kinds = [f for k, f in figures[str(size)].items() if k in KINDS]
            result[f"search_p95_ms_{_label(size)}{suffix}"] = max(f["p95_ms"] for f in kinds)
            result[f"search_cold_p95_ms_{_label(size)}{suffix}"] = max(
                f["cold_p95_ms"] for f in kinds
            )
        # Kinds the proposed indexes cannot change keep their figures from before.
        merged = {**figures[str(max(sizes))], **figures["proposed_indexes"]}
        worst_proposed = max(f["p95_ms"] for k, f in merged.items() if k in KINDS)
        result[f"search_p95_ms_{_label(max(sizes))}{suffix}_proposed_indexes"] = worst_proposed
    result["backends"] = backends
    result["proposed_indexes"] = {b: statements for b, (statements, _) in PROPOSED.items()}
    return result


def main() -> None:
    """Parse arguments, run, print the JSON figures last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    url = None if args.sqlite_only else os.environ.get("TEST_DATABASE_URL")
    result = run(sizes, url, args.queries)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
