"""What a password and a username must be.

Passwords: long enough, not absurdly long (Argon2 hashes whatever it is given), not one
character repeated, and not guessable — zxcvbn (Dropbox's estimator, with its lists of common
passwords, names, words, keyboard walks and sequences) must rate it 3 of 4 or better, with the
username and the agency counted as known to an attacker.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MIN_STRENGTH = 3  # zxcvbn score, 0..4
# Letters (any script, so Chinese names work), digits, ".", "_" and "-"; starts with a letter
# or digit. No spaces, no markup, nothing a page or a log could misread.
USERNAME = re.compile(r"^[^\W_][\w.\-]{1,63}$")


class PolicyViolation(ValueError):
    """A username or password breaks the policy; the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_username(username: str) -> None:
    """Raise ``PolicyViolation`` unless ``username`` is 2–64 safe characters."""
    if not USERNAME.fullmatch(username):
        raise PolicyViolation(
            "username",
            "username must be 2–64 letters, digits, '.', '_' or '-', starting with a letter "
            "or digit",
        )


def check_password(password: str, *, username: str = "", context: tuple[str, ...] = ()) -> None:
    """Raise ``PolicyViolation`` unless ``password`` is acceptable for ``username``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PolicyViolation(
            "password", f"password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PolicyViolation(
            "password", f"password must have at most {MAX_PASSWORD_LENGTH} characters"
        )
    if len(set(password)) == 1:
        raise PolicyViolation("password", "password must not be one character repeated")
    if username and username.lower() in password.lower():
        raise PolicyViolation("password", "password must not contain the username")
    score, warning = _strength(password, (username, *context))
    if score < MIN_STRENGTH:
        raise PolicyViolation(
            "password",
            "password is too easy to guess"
            + (f": {warning}" if warning else "; use a longer phrase of unrelated words"),
        )


def _strength(password: str, known: tuple[str, ...]) -> tuple[int, str]:
    result = zxcvbn(password, user_inputs=[k for k in known if k])
    return int(result["score"]), str(result["feedback"].get("warning") or "")
