"""Balance, contact, flag and remark updates of placed cases (R-5 更新息费, address/phone updates):
the rows judged one by one, with the same rules and reasons as on import — a malformed phone or
address is a warning (kept invalid), not a row error (R-4)."""

from __future__ import annotations

from typing import Any

from .model import DEFAULT_LIMITS, RowError, UpdateRow
from .requests import body_object, invalid, rows_field, unknown_keys
from .validation import (InvalidValue, parse_account_ref, parse_amount, parse_iso_date, validate_addresses,
                         validate_flags, validate_phones)

UPDATE_FIELDS = frozenset({"account_ref", "principal", "interest", "fees", "placed_amount", "phones",
                           "addresses", "flags", "remarks", "effective_on"})
AMOUNT_FIELDS = ("principal", "interest", "fees", "placed_amount")
Errs = list[tuple[str, str]]


def _amounts(raw: dict, row: UpdateRow, errs: Errs) -> None:
    for key in AMOUNT_FIELDS:
        if raw.get(key) is not None:
            try:
                row.amounts[key] = parse_amount(raw[key])
            except InvalidValue as e:
                errs.append((f".{key}", e.args[0]))


def _flags_remarks_date(raw: dict, row: UpdateRow, errs: Errs) -> None:
    fv = raw.get("flags")
    if fv is not None:
        flags = validate_flags(fv, errs, "must be a list (the case's complete new set of flags)")
        row.flags = flags if isinstance(fv, list) else None
    r = raw.get("remarks")
    if r is not None:
        if not isinstance(r, str) or len(r) > DEFAULT_LIMITS.remarks_max:
            errs.append((".remarks", f"must be a string of at most {DEFAULT_LIMITS.remarks_max} characters"))
        else:
            row.remarks = r.strip() or None
    if raw.get("effective_on") is not None:
        try:
            row.effective_on = parse_iso_date(raw["effective_on"])
        except InvalidValue as e:
            errs.append((".effective_on", e.args[0]))


def parse_update(i: int, raw: Any) -> UpdateRow | list[RowError]:
    """Row i: the update, or its errors. `flags` is the case's complete new set of flags."""
    p = f"updates[{i}]"
    if not isinstance(raw, dict):
        return [RowError(i, p, "must be a JSON object")]
    errs: Errs = [(f".{k}", "unknown field") for k in raw if k not in UPDATE_FIELDS]
    account = None
    try:
        account = parse_account_ref(raw.get("account_ref"))
    except InvalidValue as e:
        errs.append((".account_ref", e.args[0]))
    row = UpdateRow(i, account or "")
    _amounts(raw, row, errs)
    warnings: list[str] = []
    row.phones = validate_phones(raw.get("phones"), errs, DEFAULT_LIMITS, warnings, row.notes)
    row.addresses = validate_addresses(raw.get("addresses"), errs, DEFAULT_LIMITS, warnings, row.notes)
    _flags_remarks_date(raw, row, errs)
    if not errs and not (row.amounts or row.phones or row.addresses or row.flags is not None
                         or row.remarks is not None or row.notes):
        errs.append(("", "nothing to update (give amounts, phones, addresses, flags or remarks)"))
    if errs:
        return [RowError(i, p + suffix, reason) for suffix, reason in errs]
    return row


def parse_updates_body(body: Any, *, limit: int) -> tuple[list[UpdateRow], list[RowError]]:
    """POST /v1/cases/updates: the valid rows and the row errors (a bad top level is a 422)."""
    body = body_object(body, '{"updates": [...]}')
    errors: list[dict[str, str]] = []
    unknown_keys(body, frozenset({"updates"}), errors)
    rows = rows_field(body, "updates", limit, errors)
    if errors:
        raise invalid(errors, "the updates request is not valid")
    good: list[UpdateRow] = []
    bad: list[RowError] = []
    for i, raw in enumerate(rows):
        got = parse_update(i, raw)
        if type(got) is list:
            bad.extend(got)
        else:
            good.append(got)  # type: ignore[arg-type]
    return good, bad
