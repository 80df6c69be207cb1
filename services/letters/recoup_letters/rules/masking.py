"""Masking on letters (R-30, R-46).

The letter mask is Recoup's one mask (recoup_shared.crypto): the first six characters (the ID
number's region code, the card's issuer BIN) and nothing else — `410105************`,
`622202*************`. The source asks for the last four digits to be hidden (R-30); hiding
everything after the prefix does that and also hides the birth date, and it is exactly what the
upstream events carry (`id_number_masked`, `account_masked`), so the letters service never holds a
full number. The masks are idempotent: a value already masked passes through unchanged, a full
number given by mistake is masked.

Defence in depth: any run of digits long enough to be an ID or card number (15+ digits together,
or 16+ in groups split by spaces or by hyphens) in a variable value, and in the rendered text, is
masked the same way. Phone numbers (11-13 digits), amounts and dates are never that long.
"""

from __future__ import annotations

import re

from recoup_shared.crypto import mask_card_number, mask_id_number

_RUNS = re.compile(r"\d+(?: \d+)+|\d+(?:-\d+)+|\d+[Xx]?")
_CONTIGUOUS_MIN = 15
_GROUPED_MIN = 16


def letter_mask_id(value: str | None) -> str:
    """R-30: the ID number as a letter shows it."""
    return mask_id_number(value) or ""


def letter_mask_card(value: str | None) -> str:
    """R-30: the card / account number as a letter shows it."""
    return mask_card_number(value) or ""


def _too_long(run: str) -> bool:
    if len(run) < _CONTIGUOUS_MIN:
        return False
    spaces, hyphens = run.count(" "), run.count("-")
    digits = len(run) - spaces - hyphens - (run[-1] in "Xx")
    grouped = spaces or hyphens
    return digits >= (_GROUPED_MIN if grouped else _CONTIGUOUS_MIN)


def _mask_run(m: re.Match) -> str:
    run = m.group(0)
    if not _too_long(run):
        return run
    return mask_card_number(run.replace(" ", "").replace("-", "")) or ""


def scrub_numbers(text: str) -> str:
    """Mask every digit run that could be a full ID or card number."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    return _RUNS.sub(_mask_run, text)


def has_full_number(text: str) -> bool:
    return any(_too_long(m.group(0)) for m in _RUNS.finditer(text or ""))


def is_letter_safe_mask(value: str) -> bool:
    """A masked value a letter may show: at most six characters visible, the last four hidden."""
    visible = [ch for ch in value if ch != "*"]
    return len(visible) <= 6 and (len(value) < 4 or value[-4:] == "****")
