"""档号 (archive numbers): pattern, formatting and validation (DA/T 13 / DA/T 22).

The default is 全宗号-门类代码-年度-保管期限代码-件号, e.g. ``Z001-ZF-2026-D10-0007``: DA/T 22
puts the 档案门类代码 (here ``ZF``, 执法 case files; configurable) after the 全宗号. DA/T 22
joins 门类 and 年度 with "·"; a hyphen keeps the 档号 ASCII for object keys and URLs (a pattern
with "·" works as well). The 件号 is four digits, zero-padded, as DA/T 22 asks.
"""

from __future__ import annotations

import re
import string

DEFAULT_PATTERN = "{fonds_no}-{category}-{year}-{retention}-{item_no:04d}"
DEFAULT_CATEGORY = "ZF"
CATEGORY_RE = r"[A-Z0-9]{1,8}"

_FIELD_RES = {
    "fonds_no": r"[A-Z0-9]{1,16}",
    "category": CATEGORY_RE,
    "year": r"\d{4}",
    "retention": r"(?:Y|D\d{1,3})",
    "item_no": r"\d+",
}


def format_archive_no(
    pattern: str,
    *,
    fonds_no: str,
    year: int,
    retention: str,
    item_no: int,
    category: str = DEFAULT_CATEGORY,
) -> str:
    """The 档号 for these parts (a pattern without ``{category}`` simply leaves it out)."""
    return pattern.format(
        fonds_no=fonds_no, category=category, year=year, retention=retention, item_no=item_no
    )


def archive_no_regex(pattern: str) -> re.Pattern[str]:
    """A regex that accepts exactly the 档号 the pattern can produce."""
    out = []
    for literal, field, spec, _conv in string.Formatter().parse(pattern):
        out.append(re.escape(literal))
        if field is None:
            continue
        part = _FIELD_RES[field]
        if field == "item_no" and spec and spec.startswith("0") and spec[1:-1].isdigit():
            width = int(spec[1:-1])
            part = rf"\d{{{width},}}"
        out.append(f"(?P<{field}>{part})")
    return re.compile("".join(out) + r"\Z")


def is_valid_archive_no(pattern: str, archive_no: str) -> bool:
    """True when ``archive_no`` has the pattern's form."""
    return archive_no_regex(pattern).match(archive_no) is not None
