"""The password and username policy refuses what an attacker would guess first."""

from __future__ import annotations

import pytest

from service.auth.passwords import PolicyViolation, check_password, check_username


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaa",  # one character
        " " * 10,  # ten spaces
        "1234567890",  # a sequence, top-100
        "qwertyuiop",  # a keyboard walk
        "password123",  # common
        "P@ssword123",  # common with substitutions
        "short1!",  # too short
        "x" * 129,  # too long for hashing
    ],
)
def test_guessable_or_degenerate_passwords_are_refused(password: str) -> None:
    with pytest.raises(PolicyViolation) as exc:
        check_password(password, username="zhangsan")
    assert exc.value.field == "password"


def test_a_password_containing_the_username_is_refused() -> None:
    with pytest.raises(PolicyViolation, match="username"):
        check_password("zhangsan-Harbour-77", username="zhangsan")


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "a-long-password-1", "湖滨路十八号-早班-2026"]
)
def test_long_unguessable_passwords_pass(password: str) -> None:
    try:
        check_password(password, username="zhangsan")
    except PolicyViolation as exc:
        pytest.fail(f"{password!r} refused: {exc}")


@pytest.mark.parametrize("name", ["", "a", " zhang", "zhang san", "<b>x</b>", "_lead", "x" * 65])
def test_empty_spaced_markup_or_overlong_usernames_are_refused(name: str) -> None:
    with pytest.raises(PolicyViolation):
        check_username(name)


@pytest.mark.parametrize("name", ["zhang", "li.si", "wang_wu-2", "张三"])
def test_ordinary_usernames_pass(name: str) -> None:
    try:
        check_username(name)
    except PolicyViolation as exc:
        pytest.fail(f"{name!r} refused: {exc}")
