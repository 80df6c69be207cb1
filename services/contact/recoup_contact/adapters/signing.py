"""HMAC signatures of the PBX's call-detail webhook (R-19).

The PBX signs `"<unix seconds>.<raw body>"` with the shared secret (HMAC-SHA256) and sends
`X-Recoup-Timestamp: <unix seconds>` and `X-Recoup-Signature: sha256=<hex>`. The service recomputes
it over the exact bytes received, compares in constant time and refuses a timestamp outside the
tolerance (a captured request cannot be replayed later). The same scheme signs what the service
sends to the PBX, so either side can verify the other.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "x-recoup-timestamp"
SIGNATURE_HEADER = "x-recoup-signature"
_PREFIX = "sha256="


def _mac(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The headers to send with `body`."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: _PREFIX + _mac(secret, timestamp, body)}


def verify(secret: str, body: bytes, timestamp: str | None, signature: str | None, *,
           tolerance_seconds: int, now: float | None = None) -> str | None:
    """None if the signature is good and fresh; otherwise why not (never the expected value)."""
    if not timestamp or not signature:
        return "missing signature headers"
    if not timestamp.isdigit() or len(timestamp) > 12:
        return "malformed timestamp"
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_seconds:
        return "timestamp outside the accepted window"
    if not signature.startswith(_PREFIX):
        return "unknown signature scheme"
    if not hmac.compare_digest(signature[len(_PREFIX):], _mac(secret, timestamp, body)):
        return "signature does not match"
    return None
