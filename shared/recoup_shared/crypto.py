"""Personal data (R-46), once for every service: AES-256-GCM field encryption with a key id for
rotation, a keyed hash (blind index) for exact-match lookups without storing or sending the clear
value, and the masks used in lists, events, logs and letters.

`Protector` bundles the three with the service's keys and is what services use; it is fast enough
for intake's bulk path (a 100,000-case placement makes half a million hashes) and picklable for
worker processes. Every service hashes a phone, an ID number or a card number the same way (same
canonical form from `identifiers`, same key, same domain separation), so contact's inbound lookup
finds what intake stored (R-25).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from typing import Any

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .identifiers import (IdNumberError, PhoneError, normalise_account_ref, parse_id_number,
                          parse_phone)

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
_DIGIT = re.compile(r"\d")

# Blind-index kinds (domain separation): the same digits hash differently as a card and an ID.
HASH_CARD, HASH_ID, HASH_PHONE = "card", "id", "phone"


def normalise_identifier(value: str) -> str:
    """The canonical form hashed by the blind index: no spaces/dashes, upper-case (ID 'x')."""
    if value.isascii() and value.isalnum():  # validated identifiers: no regex needed
        return value.upper()
    return _SEPARATORS.sub("", value).upper()


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class BlindIndex:
    """HMAC-SHA256 over the normalised value, domain-separated per kind (id/card/phone).

    Computed from precomputed inner/outer SHA-256 states (RFC 2104 by hand, tested equal to
    `hmac`): ~0.6 µs instead of ~1.7 µs per hash."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("blind index key must be at least 32 bytes")
        self._key = bytes(key)
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        self._inner = hashlib.sha256(block.translate(_IPAD))
        self._outer = hashlib.sha256(block.translate(_OPAD))

    def __reduce__(self):
        return (BlindIndex, (self._key,))

    def __call__(self, kind: str, value: str | None) -> str | None:
        if not value:
            return None
        inner = self._inner.copy()
        inner.update(f"{kind}\0{normalise_identifier(value)}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def cipher_from_settings(settings) -> FieldCipher:
    return FieldCipher(settings.data_key_ring, settings.active_data_key_id)


def blind_index_from_settings(settings) -> BlindIndex:
    return BlindIndex(base64.b64decode(settings.blind_index_key))


class Protector:
    """Encrypt, hash and mask personal identifiers with the service's keys (R-46).

    Ciphertexts are FieldCipher's (`v1:<kid>:` + nonce + AES-GCM); `seal_bytes` writes them with
    nonces the caller may draw in bulk. Picklable: worker processes get one."""

    def __init__(self, data_key_ring: dict[str, bytes], active_kid: str, blind_index_key: bytes) -> None:
        self._state = (dict(data_key_ring), active_kid, bytes(blind_index_key))
        self.cipher = FieldCipher(data_key_ring, active_kid)
        self.blind_index = BlindIndex(blind_index_key)
        self._aead = AESGCM(data_key_ring[active_kid])
        self._prefix = b"v1:" + active_kid.encode() + b":"

    def __reduce__(self):
        return (Protector, self._state)

    @classmethod
    def from_settings(cls, settings) -> "Protector":
        return cls(settings.data_key_ring, settings.active_data_key_id,
                   base64.b64decode(settings.blind_index_key))

    # --- encryption (the row's id as associated data: a ciphertext cannot move to another row)
    def encrypt(self, row_id: str, value: str | None) -> bytes | None:
        return self.cipher.encrypt(value, aad=row_id.encode())

    def decrypt(self, row_id: str, blob: bytes | None) -> str | None:
        return self.cipher.decrypt(blob, aad=row_id.encode())

    def seal_bytes(self, row_id: str, plaintext: bytes, nonce: bytes | None = None) -> bytes:
        """FieldCipher.encrypt for bytes. `nonce`: 12 fresh random bytes, never reused."""
        if nonce is None:
            nonce = os.urandom(12)
        return self._prefix + nonce + self._aead.encrypt(nonce, plaintext, row_id.encode())

    def seal(self, row_id: str, value: Any, nonce: bytes | None = None) -> bytes:
        """A JSON-able value as one ciphertext."""
        return self.seal_bytes(row_id, orjson.dumps(value), nonce)

    def open(self, row_id: str, blob: bytes) -> Any:
        return orjson.loads(self.cipher.decrypt(blob, aad=row_id.encode()))  # type: ignore[arg-type]

    # --- blind index (values already canonical: validated on the way in)
    def card_hash(self, account_ref: str) -> str:
        return self.blind_index(HASH_CARD, normalise_account_ref(account_ref))  # type: ignore[return-value]

    def id_hash(self, id_number_18: str) -> str:
        return self.blind_index(HASH_ID, id_number_18)  # type: ignore[return-value]

    def phone_hash(self, canonical_number: str) -> str:
        return self.blind_index(HASH_PHONE, canonical_number)  # type: ignore[return-value]

    # --- lookups: a searched value is canonicalised as on import, then hashed
    def lookup_id_hash(self, value: str) -> str | None:
        try:
            return self.id_hash(parse_id_number(value).id18)
        except IdNumberError:
            return None

    def lookup_card_hash(self, value: str) -> str | None:
        ref = normalise_account_ref(value)
        return self.card_hash(ref) if ref else None

    def lookup_phone_hash(self, value: str) -> str | None:
        try:
            return self.phone_hash(parse_phone(value).number)
        except PhoneError:
            digits = _NON_DIGITS.sub("", value)
            return self.phone_hash(digits) if digits else None


# --- masking for display, events and logs (R-46) ------------------------------------------

def _keep_prefix(value: str, keep: int) -> str:
    v = normalise_identifier(value)
    if len(v) <= keep + 4:
        return "*" * len(v)
    return v[:keep] + "*" * (len(v) - keep)


def mask_id_number(value: str | None) -> str | None:
    """Region code only: 410105198703150030 -> 410105************ (the birth date and sequence
    are personal data too)."""
    return _keep_prefix(value, 6) if value else value


def mask_card_number(value: str | None) -> str | None:
    """Issuer prefix only (BIN, 6 digits): 6222020200112233446 -> 622202*************."""
    return _keep_prefix(value, 6) if value else value


def mask_phone(value: str | None) -> str | None:
    """13800138000 -> 138****8000; 0371-65432100 -> 037****2100."""
    if not value:
        return value
    digits = value if value.isdigit() and value.isascii() else _NON_DIGITS.sub("", value)
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def mask_address_line(line: str | None) -> str | None:
    """Street kept, house/unit/room numbers hidden: 花园路 88 号 3 单元 502 -> 花园路 ** 号 * 单元 ***."""
    return _DIGIT.sub("*", line) if line else line
