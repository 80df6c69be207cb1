"""JSON request bodies (R-1, R-4): the content type, exact decoding (decimals never become
floats), the canonical hash that makes a re-sent request the same request, and the cutting of a
big placement's `cases` into pieces of raw JSON text that worker processes decode in parallel
(the service never holds the decoded cases of a 100,000-case placement)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
import orjson

from ..rules.errors import MalformedJson, UnsupportedMediaType

# --- decoding ----------------------------------------------------------------------------------

def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_json_content_type(content_type: str | None) -> None:
    """application/json (or a +json type), UTF-8 if a charset is named; else 415."""
    if not content_type:
        raise UnsupportedMediaType("send the body as application/json")
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise UnsupportedMediaType(f"send the body as application/json, not {media or 'nothing'}")
    m = re.search(r"charset\s*=\s*\"?([\w.-]+)", params, re.IGNORECASE)
    if m and m.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType("JSON bodies must be UTF-8 encoded")


# Exact decoding at orjson's speed: msgspec hands each number with a fraction or an exponent to
# Decimal as written, keeps integers of any size, refuses NaN. It refuses a few things the
# standard library's decoder accepts (a lone UTF-16 surrogate escape, a BOM) and words its errors
# otherwise: whatever it refuses is decoded again by `json`, which decides and explains — so the
# answer is exactly the standard library's, ~1.5x faster on a 100,000-case placement.
_EXACT = msgspec.json.Decoder(float_hook=Decimal)
_REFUSED = object()


def _decode_exact(data: bytes) -> Any:
    """The value, or _REFUSED when msgspec refuses `data`."""
    try:
        return _EXACT.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return _REFUSED


def decode_json(body: bytes) -> Any:
    """Decode a JSON body with exact decimals: numbers with a fraction become Decimal (a float
    would silently alter an amount like 1234567890123456.78 — R-4 forbids it; orjson is not used
    here because it reads such numbers, and integers beyond 64 bits, as floats); NaN/Infinity are
    refused. Malformed JSON (or not UTF-8) -> 400 problem+json."""
    value = _decode_exact(body)
    if value is not _REFUSED:
        return value
    if not body.strip():
        raise MalformedJson("the request body is empty")
    try:
        text = body.decode("utf-8-sig") if body[:3] == b"\xef\xbb\xbf" else body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJson(f"the body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise MalformedJson(f"{reason}{where}") from None


def _canonical_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(type(o).__name__)


def canonical_sha256(value: Any) -> str:
    """SHA-256 of the canonical JSON of a decoded body (keys sorted, no whitespace): the same
    request re-sent with other spacing or key order is the same request (R-1)."""
    try:
        canonical = orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=_canonical_default)
    except TypeError:  # integers beyond 64 bits (a row error later, never a 500 here)
        canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                               default=_canonical_default).encode()
    return hashlib.sha256(canonical).hexdigest()


@dataclass
class SplitBody:
    """A JSON placement body whose `cases` array is cut into pieces of raw JSON text (each a
    comma-separated run of whole cases) without being decoded here: worker processes decode and
    check the pieces in parallel (usecases/placements/parts.py). `header` holds the other top-level fields."""
    header: dict[str, Any]
    segments: list[bytes]


_WS_BYTES = b" \t\r\n"
_FIRST_KEY_RE = re.compile(rb'\s*\{\s*"((?:[^"\\]|\\.)*)"')


def split_placement_body(raw: bytes, *, segment_bytes: int) -> SplitBody | None:
    """Cut `cases` into segments of about `segment_bytes`, or None when the body is not simply a
    top-level object whose last field is a non-empty `cases` array (the caller then decodes it
    whole, with the usual errors).

    The fields before `cases` are decoded here (decode_json's rules: exact decimals, no NaN). A
    cut is put only between two cases that start with the same key as the first case
    (`}, {"account_ref"`); a cut that is not between two cases after all (inside a string, or
    between two phones) leaves a piece that is not a JSON value sequence on its own, which the
    worker's decoding refuses — and the caller falls back to the whole-body decode."""
    start = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    head = raw[start:start + 65536].decode("utf-8", errors="ignore")
    found = _header_before_cases(head)
    if found is None:
        return None
    header, pos = found
    begin = start + len(head[:pos].encode())            # first byte inside the array
    end = _closing_bracket(raw, begin)
    if end is None:
        return None
    first = _FIRST_KEY_RE.match(raw, begin)
    if first is None:
        return None
    return SplitBody(header, _cut(raw, begin, end, first.group(1), segment_bytes))


_WS_RE = re.compile(r"[ \t\r\n]*")


def _header_before_cases(head: str) -> tuple[dict[str, Any], int] | None:
    """The top-level fields before `cases` and the position just inside its `[`; None when the
    body does not start like that."""
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)
    ws = _WS_RE
    try:
        pos = ws.match(head, 0).end()  # type: ignore[union-attr]
        if head[pos:pos + 1] != "{":
            return None
        pos += 1
        header: dict[str, Any] = {}
        while True:
            pos = ws.match(head, pos).end()  # type: ignore[union-attr]
            key, pos = decoder.raw_decode(head, pos)
            if not isinstance(key, str):
                return None
            pos = ws.match(head, pos).end()  # type: ignore[union-attr]
            if head[pos:pos + 1] != ":":
                return None
            pos = ws.match(head, pos + 1).end()  # type: ignore[union-attr]
            if key == "cases":
                if head[pos:pos + 1] != "[" or "cases" in header:
                    return None
                return header, pos + 1
            header[key], pos = decoder.raw_decode(head, pos)
            pos = ws.match(head, pos).end()  # type: ignore[union-attr]
            if head[pos:pos + 1] != ",":
                return None
            pos += 1
    except (ValueError, RecursionError):
        return None


def _closing_bracket(raw: bytes, begin: int) -> int | None:
    """The position of the `]` closing `cases` when the body ends `] }` (and white space)."""
    end = len(raw)
    for expected in b"}]":
        end -= 1
        while end > begin and raw[end] in _WS_BYTES:
            end -= 1
        if raw[end] != expected:
            return None
    return end


def _cut(raw: bytes, begin: int, end: int, first_key: bytes, segment_bytes: int) -> list[bytes]:
    cut = re.compile(rb'\}[ \t\r\n]*,[ \t\r\n]*(?=\{[ \t\r\n]*"' + re.escape(first_key) + rb'")')
    segments: list[bytes] = []
    lo = begin
    while end - lo > segment_bytes * 3 // 2:
        m = cut.search(raw, lo + segment_bytes, end)
        if m is None:
            break
        segments.append(raw[lo:m.start() + 1])
        lo = m.end()
    segments.append(raw[lo:end])
    return segments


def decode_segment(segment: bytes) -> list[Any]:
    """A piece of `cases` (split_placement_body) decoded as decode_json would; ValueError when it
    is not a run of whole JSON values."""
    value = _decode_exact(b"[" + segment + b"]")
    if value is not _REFUSED:
        return value
    return json.loads("[" + segment.decode("utf-8") + "]", parse_float=Decimal, parse_constant=_no_constant)


class CanonicalCasesHash:
    """canonical_sha256 of {**header, "cases": [...]} fed with the canonical JSON of the cases'
    pieces in order (`canonical_rows` of each piece): "cases" sorts before every other placement
    field, so the pieces can be hashed as they come (tested equal to canonical_sha256)."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256(b'{"cases":[')
        self._first = True

    def add(self, piece: bytes) -> None:
        if not self._first:
            self._sha.update(b",")
        self._first = False
        self._sha.update(memoryview(piece)[1:-1])

    def hexdigest(self, header: dict[str, Any]) -> str:
        rest = orjson.dumps(header, option=orjson.OPT_SORT_KEYS, default=_canonical_default)
        self._sha.update(b"]," + rest[1:] if len(rest) > 2 else b"]}")
        return self._sha.hexdigest()


def canonical_cases_sha256(header: dict[str, Any], pieces: list[bytes]) -> str:
    h = CanonicalCasesHash()
    for piece in pieces:
        h.add(piece)
    return h.hexdigest(header)


def canonical_rows(rows: list[Any]) -> bytes | None:
    """The canonical JSON of a piece's rows (see CanonicalCasesHash); None when orjson cannot
    write it (integers beyond 64 bits: the whole body is then hashed by canonical_sha256)."""
    try:
        return orjson.dumps(rows, option=orjson.OPT_SORT_KEYS, default=_canonical_default)
    except TypeError:
        return None


