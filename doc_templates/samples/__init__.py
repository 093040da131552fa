"""Realistic sample data for every template, for tests, specimens and the service's fixtures."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from doc_templates.context import PartyFacts, RenderContext
from doc_templates.fields import SPECS
from doc_templates.packs import get_pack

SAMPLES_DIR = Path(__file__).resolve().parent

SAMPLE_PARTY = PartyFacts(
    name="某某餐饮管理有限公司",
    kind="enterprise",
    id_code="91330106MA2H3K7Q5X",
    representative="王某某",
    address="某某市某某区中山路128号",
    phone="0571-8888 6666",
)

_DOC_NO_PREFIX = {
    "01": "某综执核",
    "02": "某综执批",
    "03": "某综执法审",
    "04": "某综执约通",
    "05": "某综执送",
    "06": "某综执纲",
    "07": "某综执约记",
    "08": "某综执整改",
    "09": "某综执台账",
    "10": "某综执验意",
    "11": "某综执验合",
    "12": "某综执罚告",
    "G01": "某综执导建",
    "G02": "某综执导访",
    "M01": "某综执调受",
    "M02": "某综执调录",
    "M03": "某综执调协",
}

_CAUSES = {
    "guidance": "后厨食品安全管理制度不健全，存在食品安全风险",
    "mediation": "与消费者就预付储值卡余额退还发生消费纠纷",
}


@cache
def _load(code: str) -> str:
    return (SAMPLES_DIR / f"{code}.json").read_text(encoding="utf-8")


def sample_data(code: str) -> dict[str, Any]:
    """A fresh copy of the sample field data of template ``code`` (JSON-compatible)."""
    data: dict[str, Any] = json.loads(_load(code))
    return data


def sample_context(
    code: str = "07", *, specimen: bool = False, issued_on: date = date(2026, 11, 22)
) -> RenderContext:
    """A realistic RenderContext for template ``code`` (a specimen has no 文号); the 案号
    carries the word of the template's pack."""
    pack = next(s.pack for s in SPECS if s.code == code)
    word = get_pack(pack).number_code
    case_no = f"某综执{word}〔2026〕7号"
    return RenderContext(
        agency_name="某某市某某区综合行政执法局",
        case_no=case_no,
        doc_no="" if specimen else f"{_DOC_NO_PREFIX[code]}〔2026〕7号",
        issued_on=issued_on,
        party=SAMPLE_PARTY,
        cause=_CAUSES.get(pack, "涉嫌占道经营及未落实食品安全、消防安全主体责任"),
        verify_url=f"https://anjuan.example.gov.cn/v/2026-0007-{code}?k=3f9a2c71",
        index_line=f"{case_no} · {code} · 核验码 3F9A2C71",
        specimen=specimen,
    )
