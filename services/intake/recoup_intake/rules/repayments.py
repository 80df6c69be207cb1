"""Repayment rows reported by the client (R-5 还款记录): judged one by one, idempotent on txn_ref."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any

from .model import RepaymentRow, RowError
from .requests import body_object, invalid, rows_field, unknown_keys
from .validation import InvalidValue, parse_account_ref, parse_amount

REPAYMENT_FIELDS = frozenset({"account_ref", "amount", "paid_at", "txn_ref", "channel"})
_DT_RE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?",
                    re.IGNORECASE)


def parse_timestamp(value: Any, tz: tzinfo) -> datetime:
    """ISO 8601 date-time; without an offset it is local time in `tz` (Asia/Shanghai); a bare
    date is that day's midnight there. Raises InvalidValue."""
    if not isinstance(value, str):
        raise InvalidValue("must be an ISO 8601 date-time string like 2026-11-20T10:15:00+08:00")
    s = value.strip()
    if _DT_RE.fullmatch(s) is None:
        raise InvalidValue("must be an ISO 8601 date-time like 2026-11-20T10:15:00+08:00")
    try:
        dt = datetime.fromisoformat(s.upper().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue("not a real date-time") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    if dt.year < 1990:
        raise InvalidValue("date-time before 1990")
    return dt


def _amount(raw: dict, errs: list[tuple[str, str]]) -> Any:
    if raw.get("amount") is None:
        errs.append((".amount", "required"))
        return None
    try:
        amount = parse_amount(raw.get("amount"))
    except InvalidValue as e:
        errs.append((".amount", e.args[0]))
        return None
    if amount <= 0:
        errs.append((".amount", "must be > 0"))
    return amount


def _paid_at(raw: dict, tz: tzinfo, latest: datetime, errs: list[tuple[str, str]]) -> datetime | None:
    if raw.get("paid_at") is None:
        errs.append((".paid_at", "required"))
        return None
    try:
        paid_at = parse_timestamp(raw.get("paid_at"), tz)
    except InvalidValue as e:
        errs.append((".paid_at", e.args[0]))
        return None
    if paid_at > latest:
        errs.append((".paid_at", "in the future"))
    return paid_at


def _refs(raw: dict, errs: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(txn_ref, channel)."""
    txn = channel = None
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
    return txn, channel


def parse_repayment(i: int, raw: Any, tz: tzinfo, latest: datetime) -> RepaymentRow | list[RowError]:
    """Row i: the repayment, or its errors. `latest`: paid_at later than this is in the future."""
    p = f"repayments[{i}]"
    if not isinstance(raw, dict):
        return [RowError(i, p, "must be a JSON object")]
    errs: list[tuple[str, str]] = [(f".{k}", "unknown field") for k in raw if k not in REPAYMENT_FIELDS]
    account = None
    try:
        account = parse_account_ref(raw.get("account_ref"))
    except InvalidValue as e:
        errs.append((".account_ref", e.args[0]))
    amount = _amount(raw, errs)
    paid_at = _paid_at(raw, tz, latest, errs)
    txn, channel = _refs(raw, errs)
    if errs:
        return [RowError(i, p + suffix, reason) for suffix, reason in errs]
    return RepaymentRow(i, account, amount, paid_at, txn, channel)  # type: ignore[arg-type]


def parse_repayments_body(body: Any, *, limit: int, tz: tzinfo, now: datetime,
                          future_tolerance: timedelta) -> tuple[list[RepaymentRow], list[RowError]]:
    """POST /v1/repayments: the valid rows and the row errors (a bad top level is a 422)."""
    body = body_object(body, '{"repayments": [...]}')
    errors: list[dict[str, str]] = []
    unknown_keys(body, frozenset({"repayments"}), errors)
    rows = rows_field(body, "repayments", limit, errors)
    if errors:
        raise invalid(errors, "the repayments request is not valid")
    good: list[RepaymentRow] = []
    bad: list[RowError] = []
    latest = now + future_tolerance
    for i, raw in enumerate(rows):
        got = parse_repayment(i, raw, tz, latest)
        if type(got) is list:
            bad.extend(got)
        else:
            good.append(got)  # type: ignore[arg-type]
    return good, bad
