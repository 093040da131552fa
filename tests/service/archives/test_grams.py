"""Gram keys: a text's characters and pairs, and the keys a term needs."""

from __future__ import annotations

import pytest

from service.archives.grams import exact, term_keys, text_keys


def test_text_keys_are_its_characters_and_adjacent_pairs_sorted() -> None:
    assert text_keys("消防通道") == sorted(["消", "防", "通", "道", "消防", "防通", "通道"])


def test_text_keys_fold_case_and_leave_out_whitespace() -> None:
    assert text_keys("Best  价\n格\u3000A") == sorted(
        ["b", "e", "s", "t", "be", "es", "st", "价", "格", "a"]
    )


def test_repeated_grams_are_kept_once() -> None:
    assert text_keys("约谈约谈") == ["约", "约谈", "谈", "谈约"]


def test_empty_text_has_no_keys() -> None:
    assert text_keys("") == [] and text_keys(" \n ") == []


@pytest.mark.parametrize(("term", "keys"), [("消", ["消"]), ("消防", ["消防"]), ("Ab", ["ab"])])
def test_short_terms_are_their_own_key_and_exact(term: str, keys: list[str]) -> None:
    assert term_keys(term) == keys and exact(term)


def test_long_terms_need_their_pairs_and_a_confirmation() -> None:
    assert term_keys("消防通道") == ["消防", "通道", "防通"]
    assert not exact("消防通道")


@pytest.mark.parametrize("term", ["消防", "防通道", "Best", "格", "t"])
def test_a_text_containing_a_term_has_all_its_keys(term: str) -> None:
    body = "消防通道被堵塞。店招写着 Best 价格"
    assert set(term_keys(term)) <= set(text_keys(body))
