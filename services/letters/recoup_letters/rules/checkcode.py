"""Check codes (R-32): the letter inside and its envelope must belong together; each letter carries a
code printed on both, as text a person can read and type, and as a barcode a scanner reads.

Code: 8 payload characters + 1 check character from a 29-symbol alphabet without look-alikes
(no 0/O, 1/I/L, 5/S, U). 29 is prime and the position weights 1..9 are distinct and non-zero mod
29, so every single mistyped character and every transposition of two characters (adjacent or not)
changes the weighted sum: a typo is always detected, never read as another letter's code.
Printed in groups of three (`7K3-MQX-9PR`). The barcode adds the sheet it is on (`L`: letter,
`E`: envelope) so scanning the same sheet twice is caught instead of passing as a match.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = "23456789ABCDEFGHJKMNPQRTVWXYZ"
BASE = len(ALPHABET)                       # 29, prime
PAYLOAD_LENGTH = 8
CODE_LENGTH = PAYLOAD_LENGTH + 1
SPACE = BASE ** PAYLOAD_LENGTH             # ~5.0e11 distinct codes
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = tuple(range(1, CODE_LENGTH + 1))
_INV_LAST = pow(_WEIGHTS[-1], -1, BASE)
# a fixed bijection of serial numbers onto codes, so neighbouring letters get unrelated codes
_MULTIPLIER = 25_214_903_917               # coprime with 29
_OFFSET = 187_345_113_079
assert _MULTIPLIER % BASE != 0

LETTER_SIDE = "L"
ENVELOPE_SIDE = "E"


class CheckCodeError(ValueError):
    pass


def check_char(payload: str) -> str:
    total = sum(w * _VALUE[ch] for w, ch in zip(_WEIGHTS, payload))
    return ALPHABET[(-total * _INV_LAST) % BASE]


def _encode(number: int) -> str:
    digits = []
    for _ in range(PAYLOAD_LENGTH):
        number, d = divmod(number, BASE)
        digits.append(ALPHABET[d])
    payload = "".join(reversed(digits))
    return payload + check_char(payload)


def code_for_serial(serial: int) -> str:
    """The code of the letter with this serial number (a database sequence): distinct serials give
    distinct codes for the first ~5e11 letters, with no lookup and no retry."""
    if not 0 <= serial < SPACE:
        raise CheckCodeError(f"serial {serial} outside 0..{SPACE - 1}")
    return _encode((serial * _MULTIPLIER + _OFFSET) % SPACE)


def random_code() -> str:
    """A random code (the caller keeps codes unique, e.g. with a unique index and a retry)."""
    return _encode(secrets.randbelow(SPACE))


def normalise(text: str) -> str:
    """What a person or scanner typed -> canonical form: upper case, no spaces or dashes;
    full-width characters (a Chinese input method) folded to ASCII."""
    out = []
    for ch in text or "":
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        if ch in " -_\u3000\t\r\n":
            continue
        out.append(ch.upper())
    return "".join(out)


def parse(text: str) -> str:
    """A typed or scanned code, validated: raises CheckCodeError with the reason."""
    code = normalise(text)
    if len(code) != CODE_LENGTH:
        raise CheckCodeError(f"a check code has {CODE_LENGTH} characters, got {len(code)}")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise CheckCodeError(f"characters not used in check codes: {' '.join(bad)}")
    if check_char(code[:-1]) != code[-1]:
        raise CheckCodeError("check character does not match: the code was mistyped or misread")
    return code


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except CheckCodeError:
        return False
    return True


def display(code: str) -> str:
    """`7K3MQX9PR` -> `7K3-MQX-9PR` (printed on letter and envelope)."""
    return "-".join(code[i:i + 3] for i in range(0, len(code), 3))


def barcode_value(code: str, side: str) -> str:
    """What the Code 128 barcode holds: the sheet marker and the code."""
    if side not in (LETTER_SIDE, ENVELOPE_SIDE):
        raise ValueError(f"side must be {LETTER_SIDE!r} or {ENVELOPE_SIDE!r}")
    return side + code


def parse_scan(text: str) -> tuple[str, str | None]:
    """A scan (barcode: side + code) or a typed code (side unknown) -> (code, side)."""
    raw = normalise(text)
    if len(raw) == CODE_LENGTH + 1 and raw[0] in (LETTER_SIDE, ENVELOPE_SIDE):
        return parse(raw[1:]), raw[0]
    return parse(raw), None


class QcOutcome(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"          # a serious breach; the service blocks the batch
    SAME_SHEET = "same_sheet"      # both scans from the letter, or both from the envelope: rescan
    UNREADABLE = "unreadable"      # a code failed its check character: rescan or retype


@dataclass(frozen=True, slots=True)
class QcDecision:
    outcome: QcOutcome
    letter_code: str | None
    envelope_code: str | None
    detail: str


def qc_decide(letter_scan: str, envelope_scan: str) -> QcDecision:
    """R-32: the two scans of one enveloped letter. Barcode scans say which sheet they came from (so
    the order does not matter); typed codes are taken in the order given."""
    try:
        a, side_a = parse_scan(letter_scan)
    except CheckCodeError as e:
        return QcDecision(QcOutcome.UNREADABLE, None, None, f"letter scan: {e}")
    try:
        b, side_b = parse_scan(envelope_scan)
    except CheckCodeError as e:
        return QcDecision(QcOutcome.UNREADABLE, a, None, f"envelope scan: {e}")
    if side_a is not None and side_a == side_b:
        sheet = "letter" if side_a == LETTER_SIDE else "envelope"
        return QcDecision(QcOutcome.SAME_SHEET, None, None, f"both scans are of the {sheet}")
    if side_a == ENVELOPE_SIDE or side_b == LETTER_SIDE:
        a, b = b, a
    if a == b:
        return QcDecision(QcOutcome.MATCH, a, b, "letter and envelope carry the same code")
    return QcDecision(QcOutcome.MISMATCH, a, b,
                      f"letter {display(a)} is in the envelope of {display(b)} (R-32)")
