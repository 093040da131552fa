"""Signed verification tokens carried by every document's QR code.

A token is ``base64url(id ‖ HMAC-SHA256(secret, id)[:12])``: 9 random bytes of id (unguessable
even to someone holding the secret) and a 96-bit tag (unforgeable without it), 28 characters
in all, which keeps the verification URL short enough for a small QR code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

ID_BYTES = 9
TAG_BYTES = 12
_CONTEXT = b"anjuan-verify-v1:"


def new_verify_id() -> str:
    """A fresh random id (base64url, 12 characters)."""
    return _b64(secrets.token_bytes(ID_BYTES))


def make_token(secret: bytes, verify_id: str) -> str:
    """The signed token for ``verify_id``."""
    raw = _unb64(verify_id)
    return _b64(raw + _tag(secret, raw))


def read_token(secret: bytes, token: str) -> str | None:
    """The verify id inside a genuine token, or ``None`` for anything tampered or malformed."""
    if len(token) != 28:
        return None
    try:
        raw = _unb64(token)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != ID_BYTES + TAG_BYTES:
        return None
    ident, tag = raw[:ID_BYTES], raw[ID_BYTES:]
    if not hmac.compare_digest(tag, _tag(secret, ident)):
        return None
    return _b64(ident)


def _tag(secret: bytes, ident: bytes) -> bytes:
    return hmac.new(secret, _CONTEXT + ident, hashlib.sha256).digest()[:TAG_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("non-ASCII token")
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
