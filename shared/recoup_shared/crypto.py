"""Personal data at rest (R-46): AES-256-GCM field encryption with a key id for rotation, and a
keyed hash (blind index) for exact-match lookups without storing or sending the clear value."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"v1"


class FieldCipher:
    """`encrypt` -> b"v1:<kid>:" + nonce(12) + ciphertext+tag. Old key ids keep decrypting."""

    def __init__(self, key_ring: dict[str, bytes], active_kid: str) -> None:
        if active_kid not in key_ring:
            raise ValueError(f"active key id {active_kid!r} not in key ring")
        for kid, key in key_ring.items():
            if len(key) != 32:
                raise ValueError(f"data key {kid!r} must be 32 bytes (AES-256)")
            if ":" in kid:
                raise ValueError("key ids may not contain ':'")
        self._aead = {kid: AESGCM(key) for kid, key in key_ring.items()}
        self.active_kid = active_kid
        self._prefix = _VERSION + b":" + active_kid.encode() + b":"

    def encrypt(self, plaintext: str | None, *, aad: bytes = b"") -> bytes | None:
        if plaintext is None:
            return None
        nonce = os.urandom(12)
        return self._prefix + nonce + self._aead[self.active_kid].encrypt(nonce, plaintext.encode(), aad)

    def decrypt(self, blob: bytes | None, *, aad: bytes = b"") -> str | None:
        if blob is None:
            return None
        blob = bytes(blob)
        version, kid, rest = blob.split(b":", 2)
        if version != _VERSION:
            raise ValueError("unknown ciphertext version")
        aead = self._aead.get(kid.decode())
        if aead is None:
            raise ValueError(f"no key for key id {kid.decode()!r}; keep retired keys in the ring")
        return aead.decrypt(rest[:12], rest[12:], aad).decode()

    def key_id_of(self, blob: bytes) -> str:
        return bytes(blob).split(b":", 2)[1].decode()


_SEPARATORS = re.compile(r"[\s\-]")
_NON_DIGITS = re.compile(r"\D")


def normalise_identifier(value: str) -> str:
    """The canonical form hashed by the blind index: no spaces/dashes, upper-case (ID 'x')."""
    return _SEPARATORS.sub("", value).upper()


class BlindIndex:
    """HMAC-SHA256 over the normalised value, domain-separated per kind (id/card/phone)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("blind index key must be at least 32 bytes")
        self._key = key

    def __call__(self, kind: str, value: str | None) -> str | None:
        if not value:
            return None
        msg = kind.encode() + b"\x00" + normalise_identifier(value).encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()


def cipher_from_settings(settings) -> FieldCipher:
    return FieldCipher(settings.data_key_ring, settings.active_data_key_id)


def blind_index_from_settings(settings) -> BlindIndex:
    return BlindIndex(base64.b64decode(settings.blind_index_key))


# --- masking for display, events and letters (R-30, R-46) ----------------------------------

def _keep_prefix(value: str, keep: int) -> str:
    v = normalise_identifier(value)
    if len(v) <= keep + 4:
        return "*" * len(v)
    return v[:keep] + "*" * (len(v) - keep)


def mask_id_number(value: str | None) -> str | None:
    """Region code only: 410105198703150030 -> 410105************. The source masks the last four
    digits (R-30); we also mask the birth date and sequence, so nothing but the region shows."""
    return _keep_prefix(value, 6) if value else value


def mask_card_number(value: str | None) -> str | None:
    """Issuer prefix only (BIN, 6 digits): 6222020200112233446 -> 622202*************."""
    return _keep_prefix(value, 6) if value else value


def mask_phone(value: str | None) -> str | None:
    """13800138000 -> 138****8000; 0371-65432100 -> 037****2100."""
    if not value:
        return value
    digits = _NON_DIGITS.sub("", value)
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]
