"""Recalls (退案, R-5, R-13): the client's requests — single accounts or a whole placement — and
the placement's own end: its recall date, which a client may extend before it comes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from .model import RecallRequest, RowError
from .requests import body_object, date_field, invalid, ref_field, rows_field, text_field, unknown_keys
from .validation import InvalidValue, parse_account_ref

RECALL_FIELDS = frozenset({"account_refs", "placement_ref", "reason", "effective_on"})


def parse_recall_body(body: Any, *, limit: int) -> RecallRequest:
    body = body_object(body, '{"account_refs": [...]} or {"placement_ref": "..."}')
    errors: list[dict[str, str]] = []
    unknown_keys(body, RECALL_FIELDS, errors)
    has_accounts, has_placement = "account_refs" in body, "placement_ref" in body
    refs = placement_ref = None
    if has_accounts == has_placement:
        errors.append({"field": "body", "reason": "give exactly one of account_refs or placement_ref"})
    elif has_accounts:
        refs = rows_field(body, "account_refs", limit, errors)
    else:
        placement_ref = ref_field(body.get("placement_ref"), "placement_ref", errors)
    reason = text_field(body.get("reason"), "reason", errors, 500)
    effective_on = date_field(body.get("effective_on"), "effective_on", errors, required=False)
    if errors:
        raise invalid(errors, "the recall request is not valid")
    return RecallRequest(refs, placement_ref, reason, effective_on)


def parse_account_refs(raw: list[Any]) -> tuple[list[tuple[int, str]], list[RowError]]:
    """(row, account_ref) of the valid ones, and the row errors."""
    good: list[tuple[int, str]] = []
    bad: list[RowError] = []
    for i, v in enumerate(raw):
        try:
            good.append((i, parse_account_ref(v)))
        except InvalidValue as e:
            bad.append(RowError(i, f"account_refs[{i}]", e.args[0]))
    return good, bad


# --- recalls on their date (R-5, R-13) ---------------------------------------------------------
# A placement ends on its recall_on: every case still open then is recalled (退案). A recall day
# that is not a working day is handled as the client's contract says: on the day itself, or on
# the next working day (Chinese calendar, adjusted working weekends included).
ON_DAY = "on_day"
NEXT_WORKING_DAY = "next_working_day"
RECALL_DAY_RULES = (ON_DAY, NEXT_WORKING_DAY)
RECALLED_ON_DATE = "recall date reached (R-5)"


def effective_recall_day(recall_on: date, rule: str, is_working_day: Callable[[date], bool]) -> date:
    """The business day the placement's open cases are recalled."""
    if rule not in RECALL_DAY_RULES:
        raise ValueError(f"unknown recall-day rule {rule!r}")
    day = recall_on
    if rule == NEXT_WORKING_DAY:
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def recall_due(recall_on: date, rule: str, today: date, is_working_day: Callable[[date], bool]) -> bool:
    """R-5: the placement's recall day has come (`today`: the business date, ctx.clock)."""
    return effective_recall_day(recall_on, rule, is_working_day) <= today


def extension_problem(current: date, new: date, today: date, rule: str,
                      is_working_day: Callable[[date], bool], recalled_at: datetime | None) -> str | None:
    """Why the client may not move the recall date to `new` (None: it may). An extension is
    possible before the recall day comes, and moves the date later."""
    if recalled_at is not None or recall_due(current, rule, today, is_working_day):
        return "the recall date has passed: the placement's cases were recalled (or are being)"
    if new <= current:
        return f"an extension moves the recall date later than {current.isoformat()}"
    return None
