"""What every field check of the validation shares: the "invalid value" signal and text helpers.

Reasons never contain the personal data being validated: they end up in logs and API answers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


class InvalidValue(Exception):
    """A field's value is invalid; args[0] is the reason. Raised only on the error path."""


# White space clients put around values (incl. no-break, ideographic space and a stray BOM).
WS = " \t\r\n\u00a0\u3000\ufeff"
SCI_RE = re.compile(r"[+-]?\d+(?:\.\d*)?[eE][+-]?\d+")

# An error found in a row: (field path suffix, reason), e.g. (".debtor.id_number", "...").
Errs = list[tuple[str, str]]


def nfkc(s: str) -> str:
    return s if s.isascii() else unicodedata.normalize("NFKC", s)


def opt_text(value: Any, max_len: int) -> str | None:
    """Optional free text: trimmed, None when blank. Raises InvalidValue."""
    if value is None:
        return None
    if type(value) is not str:
        raise InvalidValue("must be a string")
    s = value.strip(WS)
    if not s:
        return None
    if len(s) > max_len:
        raise InvalidValue(f"longer than {max_len} characters")
    return s


def text_or_reason(v: Any, max_len: int) -> tuple[str | None, str | None]:
    """(trimmed text or None when blank, None) or (None, reason) — no exception on the hot path."""
    if v is None:
        return None, None
    if type(v) is not str:
        return None, "must be a string"
    v = v.strip(WS)
    if len(v) > max_len:
        return None, f"longer than {max_len} characters"
    return v or None, None


def kept_text(v: str | None, max_len: int) -> tuple[str | None, str | None]:
    """(trimmed text or None when blank, reason when longer than max_len) — the text is kept
    either way: a phone's or address's content problems are warnings, never silent changes (R-4)."""
    if v is None:
        return None, None
    v = v.strip(WS)
    return v or None, (f"longer than {max_len} characters" if len(v) > max_len else None)
