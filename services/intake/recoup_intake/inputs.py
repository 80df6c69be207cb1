"""Reading the clients' request bodies leniently (R-1, R-4, R-5). Pure: no I/O, no framework.

The top level of a body must be right (else a 4xx problem+json for the whole request); the rows
inside (`cases`, `repayments`, `updates`) are kept as raw JSON values and judged one by one, so one
bad row never fails the batch. Row reasons never contain the personal data being judged.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

import orjson

from recoup_shared.errors import PayloadTooLarge, ServiceError, UnprocessableInput

from .rules.validation import (
    _Bad,  # the rules' "invalid value" signal (raised by parse_amount & co.)
    _validate_addresses,
    _validate_phones,
    DEFAULT_LIMITS,
    FLAGS,
    RowError,
    ValidAddress,
    ValidPhone,
    parse_account_ref,
    parse_amount,
    parse_iso_date,
)


class MalformedJson(ServiceError):
    status, type, title = 400, "malformed-json", "The request body is not valid JSON"


class UnsupportedMediaType(ServiceError):
    status, type, title = 415, "unsupported-media-type", "Unsupported media type"


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


def decode_json(body: bytes) -> Any:
    """Decode a JSON body with exact decimals: numbers with a fraction become Decimal (a float
    would silently alter an amount like 1234567890123456.78 — R-4 forbids it; orjson is not used
    here because it reads such numbers, and integers beyond 64 bits, as floats); NaN/Infinity are
    refused. Malformed JSON (or not UTF-8) -> 400 problem+json."""
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


# --- shared little parsers ---------------------------------------------------------------------

_REF_RE = re.compile(r"[^\s/\\?#%]{1,128}")


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _problems(errors: list[dict[str, str]], detail: str) -> UnprocessableInput:
    return UnprocessableInput(detail, errors=errors)


def _ref(value: Any, name: str, errors: list[dict[str, str]]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.append({"field": name, "reason": "required (a non-empty string)"})
        return None
    s = value.strip()
    if _REF_RE.fullmatch(s) is None:
        errors.append({"field": name, "reason": "at most 128 characters, no spaces or / \\ ? # %"})
        return None
    return s


def _date(value: Any, name: str, errors: list[dict[str, str]], *, required: bool) -> date | None:
    if value is None:
        if required:
            errors.append({"field": name, "reason": "required (YYYY-MM-DD)"})
        return None
    try:
        return parse_iso_date(value)
    except _Bad as e:
        errors.append({"field": name, "reason": e.args[0]})
        return None


def _opt_str(value: Any, name: str, errors: list[dict[str, str]], max_len: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append({"field": name, "reason": "must be a string"})
        return None
    s = value.strip()
    if len(s) > max_len:
        errors.append({"field": name, "reason": f"longer than {max_len} characters"})
        return None
    return s or None


def _rows(body: dict, key: str, limit: int, errors: list[dict[str, str]]) -> list[Any]:
    rows = body.get(key)
    if not isinstance(rows, list):
        errors.append({"field": key, "reason": "required (a JSON array)" if rows is None else "must be a JSON array"})
        return []
    if not rows:
        errors.append({"field": key, "reason": "must not be empty"})
    if len(rows) > limit:
        raise PayloadTooLarge(f"{len(rows)} {key} in one request; the limit is {limit}",
                              limit=limit, received=len(rows))
    return rows


def _object(body: Any, what: str) -> dict:
    if not isinstance(body, dict):
        raise UnprocessableInput(f"the body must be a JSON object ({what})",
                                 errors=[{"field": "body", "reason": "must be a JSON object"}])
    return body


def _unknown(body: dict, allowed: frozenset[str], errors: list[dict[str, str]]) -> None:
    for k in body:
        if k not in allowed:
            errors.append({"field": str(k), "reason": "unknown field"})


# --- placements --------------------------------------------------------------------------------

PLACEMENT_KEYS = frozenset({"placement_ref", "product", "placed_on", "recall_on", "cases"})


@dataclass(frozen=True)
class PlacementHeader:
    placement_ref: str
    product: str
    placed_on: date
    recall_on: date


def parse_placement_header(values: dict[str, Any], *, default_months: int) -> PlacementHeader:
    """The placement's own fields (JSON body or upload form). 422 with every problem listed."""
    errors: list[dict[str, str]] = []
    ref = _ref(values.get("placement_ref"), "placement_ref", errors)
    product = values.get("product")
    if not isinstance(product, str) or not product.strip():
        errors.append({"field": "product", "reason": "required (a non-empty string)"})
    elif len(product.strip()) > 64:
        errors.append({"field": "product", "reason": "longer than 64 characters"})
    placed_on = _date(values.get("placed_on"), "placed_on", errors, required=True)
    recall_on = _date(values.get("recall_on"), "recall_on", errors, required=False)
    if placed_on is not None and recall_on is None and values.get("recall_on") is None:
        recall_on = add_months(placed_on, default_months)  # contracts.md: placed_on + 3 months
    if placed_on is not None and recall_on is not None and recall_on <= placed_on:
        errors.append({"field": "recall_on", "reason": "must be after placed_on"})
    if errors:
        raise _problems(errors, "the placement's fields are not valid")
    return PlacementHeader(ref, product.strip(), placed_on, recall_on)  # type: ignore[arg-type]


def parse_placement_body(body: Any, *, max_cases: int, default_months: int) -> tuple[PlacementHeader, list[Any]]:
    """Top level of POST /v1/placements: strict; `cases` kept as raw values for per-row checks."""
    body = _object(body, "a placement")
    errors: list[dict[str, str]] = []
    _unknown(body, PLACEMENT_KEYS, errors)
    cases = _rows(body, "cases", max_cases, errors)
    try:
        header = parse_placement_header(body, default_months=default_months)
    except UnprocessableInput as exc:
        errors = (exc.errors or []) + errors
        header = None
    if errors:
        raise _problems(errors, "the placement's fields are not valid")
    return header, cases  # type: ignore[return-value]


@dataclass
class SplitBody:
    """A JSON placement body whose `cases` array is cut into pieces of raw JSON text (each a
    comma-separated run of whole cases) without being decoded here: worker processes decode and
    check the pieces in parallel (parallel.py). `header` holds the other top-level fields."""
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
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)
    ws = re.compile(r"[ \t\r\n]*")
    try:
        pos = ws.match(head, 0).end()
        if head[pos:pos + 1] != "{":
            return None
        pos += 1
        header: dict[str, Any] = {}
        while True:
            pos = ws.match(head, pos).end()
            key, pos = decoder.raw_decode(head, pos)
            if not isinstance(key, str):
                return None
            pos = ws.match(head, pos).end()
            if head[pos:pos + 1] != ":":
                return None
            pos = ws.match(head, pos + 1).end()
            if key == "cases":
                if head[pos:pos + 1] != "[" or "cases" in header:
                    return None
                pos += 1
                break
            header[key], pos = decoder.raw_decode(head, pos)
            pos = ws.match(head, pos).end()
            if head[pos:pos + 1] != ",":
                return None
            pos += 1
    except (ValueError, RecursionError):
        return None
    begin = start + len(head[:pos].encode())            # first byte inside the array
    end = len(raw)
    for expected in b"}]":                               # ... ] } and white space to the end
        end -= 1
        while end > begin and raw[end] in _WS_BYTES:
            end -= 1
        if raw[end] != expected:
            return None
    # `end`: the closing bracket of `cases`
    first = _FIRST_KEY_RE.match(raw, begin)
    if first is None:
        return None
    cut = re.compile(rb'\}[ \t\r\n]*,[ \t\r\n]*(?=\{[ \t\r\n]*"' + re.escape(first.group(1)) + rb'")')
    segments: list[bytes] = []
    lo = begin
    while end - lo > segment_bytes * 3 // 2:
        m = cut.search(raw, lo + segment_bytes, end)
        if m is None:
            break
        segments.append(raw[lo:m.start() + 1])
        lo = m.end()
    segments.append(raw[lo:end])
    return SplitBody(header, segments)


def decode_segment(segment: bytes) -> list[Any]:
    """A piece of `cases` (split_placement_body) decoded as decode_json would; ValueError when it
    is not a run of whole JSON values."""
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


# --- repayments (R-5) --------------------------------------------------------------------------

REPAYMENT_FIELDS = frozenset({"account_ref", "amount", "paid_at", "txn_ref", "channel"})
_DT_RE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?",
                    re.IGNORECASE)


@dataclass(frozen=True)
class RepaymentRow:
    index: int
    account_ref: str
    amount: Decimal
    paid_at: datetime            # aware
    txn_ref: str
    channel: str | None

    def content_sha256(self) -> str:
        """The row's meaning, normalised: the same txn_ref re-sent must carry the same content."""
        canon = "\x1f".join((self.account_ref, f"{self.amount:.2f}",
                             self.paid_at.astimezone(timezone.utc).isoformat(), self.channel or ""))
        return hashlib.sha256(canon.encode()).hexdigest()


def parse_timestamp(value: Any, tz: tzinfo) -> datetime:
    """ISO 8601 date-time; without an offset it is local time in `tz` (Asia/Shanghai); a bare
    date is that day's midnight there. Raises _Bad."""
    if not isinstance(value, str):
        raise _Bad("must be an ISO 8601 date-time string like 2026-11-20T10:15:00+08:00")
    s = value.strip()
    if _DT_RE.fullmatch(s) is None:
        raise _Bad("must be an ISO 8601 date-time like 2026-11-20T10:15:00+08:00")
    try:
        dt = datetime.fromisoformat(s.upper().replace("Z", "+00:00"))
    except ValueError:
        raise _Bad("not a real date-time") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    if dt.year < 1990:
        raise _Bad("date-time before 1990")
    return dt


def parse_repayments_body(body: Any, *, limit: int, tz: tzinfo, now: datetime,
                          future_tolerance: timedelta) -> tuple[list[RepaymentRow], list[RowError]]:
    body = _object(body, '{"repayments": [...]}')
    errors: list[dict[str, str]] = []
    _unknown(body, frozenset({"repayments"}), errors)
    rows = _rows(body, "repayments", limit, errors)
    if errors:
        raise _problems(errors, "the repayments request is not valid")
    good: list[RepaymentRow] = []
    bad: list[RowError] = []
    latest = now + future_tolerance
    for i, raw in enumerate(rows):
        p = f"repayments[{i}]"
        if not isinstance(raw, dict):
            bad.append(RowError(i, p, "must be a JSON object"))
            continue
        errs: list[tuple[str, str]] = [(f".{k}", "unknown field") for k in raw if k not in REPAYMENT_FIELDS]
        account = amount = paid_at = txn = channel = None
        try:
            account = parse_account_ref(raw.get("account_ref"))
        except _Bad as e:
            errs.append((".account_ref", e.args[0]))
        if raw.get("amount") is None:
            errs.append((".amount", "required"))
        else:
            try:
                amount = parse_amount(raw.get("amount"))
                if amount <= 0:
                    errs.append((".amount", "must be > 0"))
            except _Bad as e:
                errs.append((".amount", e.args[0]))
        if raw.get("paid_at") is None:
            errs.append((".paid_at", "required"))
        else:
            try:
                paid_at = parse_timestamp(raw.get("paid_at"), tz)
                if paid_at > latest:
                    errs.append((".paid_at", "in the future"))
            except _Bad as e:
                errs.append((".paid_at", e.args[0]))
        t = raw.get("txn_ref")
        if not isinstance(t, (str, int)) or isinstance(t, bool) or not str(t).strip():
            errs.append((".txn_ref", "required (the client's transaction reference, a string)"))
        elif len(str(t).strip()) > 128:
            errs.append((".txn_ref", "longer than 128 characters"))
        else:
            txn = str(t).strip()
        c = raw.get("channel")
        if c is not None:
            if not isinstance(c, str) or len(c.strip()) > 64:
                errs.append((".channel", "must be a string of at most 64 characters"))
            else:
                channel = c.strip() or None
        if errs:
            bad.extend(RowError(i, p + suffix, reason) for suffix, reason in errs)
            continue
        good.append(RepaymentRow(i, account, amount, paid_at, txn, channel))  # type: ignore[arg-type]
    return good, bad


# --- balance / contact / flag updates (R-5) ----------------------------------------------------

UPDATE_FIELDS = frozenset({"account_ref", "principal", "interest", "fees", "placed_amount", "phones",
                           "addresses", "flags", "remarks", "effective_on"})


@dataclass
class UpdateRow:
    index: int
    account_ref: str
    amounts: dict[str, Decimal] = field(default_factory=dict)   # any of principal/interest/fees/placed_amount
    phones: list[ValidPhone] = field(default_factory=list)
    addresses: list[ValidAddress] = field(default_factory=list)
    flags: list[str] | None = None
    remarks: str | None = None
    effective_on: date | None = None


def parse_updates_body(body: Any, *, limit: int) -> tuple[list[UpdateRow], list[RowError]]:
    body = _object(body, '{"updates": [...]}')
    errors: list[dict[str, str]] = []
    _unknown(body, frozenset({"updates"}), errors)
    rows = _rows(body, "updates", limit, errors)
    if errors:
        raise _problems(errors, "the updates request is not valid")
    good: list[UpdateRow] = []
    bad: list[RowError] = []
    for i, raw in enumerate(rows):
        p = f"updates[{i}]"
        if not isinstance(raw, dict):
            bad.append(RowError(i, p, "must be a JSON object"))
            continue
        errs: list[tuple[str, str]] = [(f".{k}", "unknown field") for k in raw if k not in UPDATE_FIELDS]
        account = None
        try:
            account = parse_account_ref(raw.get("account_ref"))
        except _Bad as e:
            errs.append((".account_ref", e.args[0]))
        row = UpdateRow(i, account or "")
        for key in ("principal", "interest", "fees", "placed_amount"):
            if raw.get(key) is not None:
                try:
                    row.amounts[key] = parse_amount(raw[key])
                except _Bad as e:
                    errs.append((f".{key}", e.args[0]))
        warnings: list[str] = []
        row.phones = _validate_phones(raw.get("phones"), errs, DEFAULT_LIMITS, warnings)
        row.addresses = _validate_addresses(raw.get("addresses"), errs, DEFAULT_LIMITS)
        fv = raw.get("flags")
        if fv is not None:
            if not isinstance(fv, list):
                errs.append((".flags", "must be a list (the case's complete new set of flags)"))
            else:
                row.flags = []
                for j, f in enumerate(fv):
                    if f not in FLAGS:
                        errs.append((f".flags[{j}]", "unknown flag (allowed: " + ", ".join(FLAGS) + ")"))
                    elif f not in row.flags:
                        row.flags.append(f)
        r = raw.get("remarks")
        if r is not None:
            if not isinstance(r, str) or len(r) > DEFAULT_LIMITS.remarks_max:
                errs.append((".remarks", f"must be a string of at most {DEFAULT_LIMITS.remarks_max} characters"))
            else:
                row.remarks = r.strip() or None
        if raw.get("effective_on") is not None:
            try:
                row.effective_on = parse_iso_date(raw["effective_on"])
            except _Bad as e:
                errs.append((".effective_on", e.args[0]))
        if not errs and not (row.amounts or row.phones or row.addresses or row.flags is not None
                             or row.remarks is not None):
            errs.append(("", "nothing to update (give amounts, phones, addresses, flags or remarks)"))
        if errs:
            bad.extend(RowError(i, p + suffix, reason) for suffix, reason in errs)
            continue
        good.append(row)
    return good, bad


# --- recalls (R-5) -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RecallRequest:
    account_refs: list[Any] | None     # raw values, judged per row
    placement_ref: str | None
    reason: str | None
    effective_on: date | None


def parse_recall_body(body: Any, *, limit: int) -> RecallRequest:
    body = _object(body, '{"account_refs": [...]} or {"placement_ref": "..."}')
    errors: list[dict[str, str]] = []
    _unknown(body, frozenset({"account_refs", "placement_ref", "reason", "effective_on"}), errors)
    has_accounts, has_placement = "account_refs" in body, "placement_ref" in body
    refs = placement_ref = None
    if has_accounts == has_placement:
        errors.append({"field": "body", "reason": "give exactly one of account_refs or placement_ref"})
    elif has_accounts:
        refs = _rows(body, "account_refs", limit, errors)
    else:
        placement_ref = _ref(body.get("placement_ref"), "placement_ref", errors)
    reason = _opt_str(body.get("reason"), "reason", errors, 500)
    effective_on = _date(body.get("effective_on"), "effective_on", errors, required=False)
    if errors:
        raise _problems(errors, "the recall request is not valid")
    return RecallRequest(refs, placement_ref, reason, effective_on)


def parse_account_refs(raw: list[Any]) -> tuple[list[tuple[int, str]], list[RowError]]:
    good: list[tuple[int, str]] = []
    bad: list[RowError] = []
    for i, v in enumerate(raw):
        try:
            good.append((i, parse_account_ref(v)))
        except _Bad as e:
            bad.append(RowError(i, f"account_refs[{i}]", e.args[0]))
    return good, bad
