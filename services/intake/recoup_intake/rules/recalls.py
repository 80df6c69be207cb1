"""Recall requests (退案, R-5): single accounts or a whole placement."""

from __future__ import annotations

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
