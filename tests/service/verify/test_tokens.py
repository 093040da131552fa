"""Verification tokens: short, signed, unforgeable."""

from __future__ import annotations

from service.verify.tokens import make_token, new_verify_id, read_token

SECRET = b"s" * 48


def test_a_token_round_trips_to_its_id() -> None:
    vid = new_verify_id()
    token = make_token(SECRET, vid)
    assert len(token) == 28
    assert read_token(SECRET, token) == vid


def test_any_changed_character_is_rejected() -> None:
    token = make_token(SECRET, new_verify_id())
    for i in range(len(token)):
        for c in "AZaz09-_":
            if token[i] != c:
                assert read_token(SECRET, token[:i] + c + token[i + 1 :]) is None


def test_another_secret_rejects_the_token() -> None:
    token = make_token(SECRET, new_verify_id())
    assert read_token(b"t" * 48, token) is None


def test_malformed_tokens_are_rejected() -> None:
    for bad in ("", "x", "!" * 28, "é" * 28, "A" * 27, "A" * 29, "A" * 28):
        assert read_token(SECRET, bad) is None
