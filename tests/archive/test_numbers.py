"""档号: the 门类 code between 全宗号 and 年度, formatted and validated from one pattern."""

from __future__ import annotations

from archive.numbers import DEFAULT_PATTERN, format_archive_no, is_valid_archive_no


def test_the_default_archive_number_carries_the_category_code() -> None:
    number = format_archive_no(
        DEFAULT_PATTERN, fonds_no="Z001", category="ZF", year=2026, retention="D10", item_no=7
    )
    assert number == "Z001-ZF-2026-D10-0007"
    assert is_valid_archive_no(DEFAULT_PATTERN, number)


def test_a_number_without_or_with_a_malformed_category_is_refused() -> None:
    for bad in ("Z001-2026-D10-0007", "Z001-zf-2026-D10-0007", "Z001--2026-D10-0007"):
        assert not is_valid_archive_no(DEFAULT_PATTERN, bad), bad


def test_a_pattern_in_the_da_t_22_style_with_a_middle_dot_works_too() -> None:
    pattern = "{fonds_no}-{category}·{year}-{retention}-{item_no:04d}"
    number = format_archive_no(
        pattern, fonds_no="Z001", category="WS", year=2026, retention="Y", item_no=12
    )
    assert number == "Z001-WS·2026-Y-0012" and is_valid_archive_no(pattern, number)


def test_an_older_pattern_without_category_still_formats() -> None:
    pattern = "{fonds_no}-{year}-{retention}-{item_no:04d}"
    number = format_archive_no(pattern, fonds_no="Z001", year=2026, retention="D5", item_no=1)
    assert number == "Z001-2026-D5-0001" and is_valid_archive_no(pattern, number)
