"""档号 (archive numbers): pattern, formatting and validation (DA/T 13 / DA/T 22).

The default is 全宗号-年度-保管期限代码-件号, e.g. ``Z001-2026-D10-0007``; the 件号 is
four digits, zero-padded, as DA/T 22 asks.
"""

from __future__ import annotations

import re
import string

DEFAULT_PATTERN = "{fonds_no}-{year}-{retention}-{item_no:04d}"

_FIELD_RES = {
    "fonds_no": r"[A-Z0-9]{1,16}",
    "year": r"\d{4}",
    "retention": r"(?:Y|D\d{1,3})",
    "item_no": r"\d+",
}


def format_archive_no(
    pattern: str, *, fonds_no: str, year: int, retention: str, item_no: int
) -> str:
    """The 档号 for these parts."""
    return pattern.format(fonds_no=fonds_no, year=year, retention=retention, item_no=item_no)


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
