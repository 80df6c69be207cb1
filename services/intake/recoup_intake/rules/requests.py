"""The top level of the clients' request bodies (R-1, R-4, R-5), read leniently.

The top level of a body must be right (else a 4xx problem+json for the whole request, every
problem listed); the rows inside (`cases`, `repayments`, `updates`) are kept as raw JSON values
and judged one by one, so one bad row never fails the batch. Reasons never contain the personal
data being judged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from recoup_shared.clock import add_months
from recoup_shared.errors import PayloadTooLarge, UnprocessableInput

from .model import PlacementHeader
from .validation import InvalidValue, parse_iso_date

Problems = list[dict[str, str]]

_REF_RE = re.compile(r"[^\s/\\?#%]{1,128}")


def invalid(errors: Problems, detail: str) -> UnprocessableInput:
    return UnprocessableInput(detail, errors=errors)


def ref_field(value: Any, name: str, errors: Problems) -> str | None:
    """A client reference (placement_ref): 1..128 characters, nothing that breaks a URL path."""
    if not isinstance(value, str) or not value.strip():
        errors.append({"field": name, "reason": "required (a non-empty string)"})
        return None
    s = value.strip()
    if _REF_RE.fullmatch(s) is None:
        errors.append({"field": name, "reason": "at most 128 characters, no spaces or / \\ ? # %"})
        return None
    return s


def date_field(value: Any, name: str, errors: Problems, *, required: bool) -> date | None:
    if value is None:
        if required:
            errors.append({"field": name, "reason": "required (YYYY-MM-DD)"})
        return None
    try:
        return parse_iso_date(value)
    except InvalidValue as e:
        errors.append({"field": name, "reason": e.args[0]})
        return None


def text_field(value: Any, name: str, errors: Problems, max_len: int) -> str | None:
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


def rows_field(body: dict, key: str, limit: int, errors: Problems) -> list[Any]:
    """The body's array of rows (raw values); more than `limit` is 413 for the whole request."""
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


def body_object(body: Any, what: str) -> dict:
    if not isinstance(body, dict):
        raise UnprocessableInput(f"the body must be a JSON object ({what})",
                                 errors=[{"field": "body", "reason": "must be a JSON object"}])
    return body


def unknown_keys(body: dict, allowed: frozenset[str], errors: Problems) -> None:
    for k in body:
        if k not in allowed:
            errors.append({"field": str(k), "reason": "unknown field"})


# --- placements (R-1, R-2) ---------------------------------------------------------------------

PLACEMENT_KEYS = frozenset({"placement_ref", "product", "placed_on", "recall_on", "cases"})


def parse_placement_header(values: dict[str, Any], *, default_months: int) -> PlacementHeader:
    """The placement's own fields (JSON body or upload form). 422 with every problem listed.
    `recall_on` defaults to placed_on + `default_months` (contracts.md: 3 months)."""
    errors: Problems = []
    ref = ref_field(values.get("placement_ref"), "placement_ref", errors)
    product = values.get("product")
    if not isinstance(product, str) or not product.strip():
        errors.append({"field": "product", "reason": "required (a non-empty string)"})
    elif len(product.strip()) > 64:
        errors.append({"field": "product", "reason": "longer than 64 characters"})
    placed_on = date_field(values.get("placed_on"), "placed_on", errors, required=True)
    recall_on = date_field(values.get("recall_on"), "recall_on", errors, required=False)
    if placed_on is not None and recall_on is None and values.get("recall_on") is None:
        recall_on = add_months(placed_on, default_months)
    if placed_on is not None and recall_on is not None and recall_on <= placed_on:
        errors.append({"field": "recall_on", "reason": "must be after placed_on"})
    if errors:
        raise invalid(errors, "the placement's fields are not valid")
    return PlacementHeader(ref, product.strip(), placed_on, recall_on)  # type: ignore[arg-type,union-attr]


def parse_placement_body(body: Any, *, max_cases: int, default_months: int) -> tuple[PlacementHeader, list[Any]]:
    """Top level of POST /v1/placements: strict; `cases` kept as raw values for per-row checks."""
    body = body_object(body, "a placement")
    errors: Problems = []
    unknown_keys(body, PLACEMENT_KEYS, errors)
    cases = rows_field(body, "cases", max_cases, errors)
    try:
        header = parse_placement_header(body, default_months=default_months)
    except UnprocessableInput as exc:
        errors = (exc.errors or []) + errors
        header = None
    if errors:
        raise invalid(errors, "the placement's fields are not valid")
    return header, cases  # type: ignore[return-value]
