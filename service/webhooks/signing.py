"""How a delivery is signed, so that a receiver can tell it came from this service.

Each subscription has its own secret, derived from the service secret and the subscription's
salt (``secret_of``): nothing in the database reveals it, and a new salt rotates it. A delivery
carries ``X-Anjuan-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``;
the receiver recomputes it over the raw body and refuses a stale ``t`` (replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Anjuan-Signature"


def new_salt() -> str:
    """A fresh salt (a new secret)."""
    return secrets.token_hex(16)


def secret_of(service_secret: bytes, salt: str) -> str:
    """The subscription's signing secret, as given to its owner."""
    mac = hmac.new(service_secret, b"webhook:" + salt.encode(), hashlib.sha256).digest()
    return "whsec_" + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: True when ``header`` signs ``body`` and is at most ``tolerance``
    seconds old."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
