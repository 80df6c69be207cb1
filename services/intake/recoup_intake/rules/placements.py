"""Rules of a placement as a whole (R-1, R-6, R-7): an account at most once per placement and
open in at most one placement of its client, the debtor's other cases (joint debt), the import
SLA."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from .model import Identified, RowError


def one_per_account_hash(items: list[Identified], errors: list[RowError], index_of: Callable[[int], int],
                         first_row: dict[str, int] | None = None) -> list[Identified]:
    """R-1: the blind index folds letter case ("ab12" = "AB12"), the rules' duplicate check does
    not: two such rows would be one account twice — the second is rejected here. `first_row`
    carries the accounts seen in earlier parts of the placement."""
    first_row = {} if first_row is None else first_row
    kept: list[Identified] = []
    for it in items:
        first = first_row.setdefault(it.account_hash, it.row)
        if first == it.row:
            kept.append(it)
        else:
            errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                   f"duplicate account_ref in this placement (first at row {first})"))
    return kept


def not_open_elsewhere(items: list[Identified], still_open: dict[str, str], errors: list[RowError],
                       index_of: Callable[[int], int]) -> list[Identified]:
    """R-1 re-placement: an account still open in another placement (`still_open`: account hash
    -> that placement's ref) is a row error; once recalled or closed it may be placed again."""
    if not still_open:
        return items
    kept = []
    for it in items:
        ref = still_open.get(it.account_hash)
        if ref is None:
            kept.append(it)
        else:
            errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                   f"account already placed in placement {ref} and still open"))
    return kept


def joint_case_ids(items: Sequence[Identified], existing: dict[str, list[str]], *,
                   max_links: int = 50, batch: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """R-7: per new case, the other open cases of the same debtor — already stored (`existing`:
    id_hash -> case ids, any client) and other new cases of this placement (`batch`: id_hash ->
    case ids in row order; by default those of `items`). At most `max_links` per case (a real
    debtor has a handful of accounts; a batch of one ID number on every row must not become a
    quadratic list)."""
    by_hash = batch
    if by_hash is None:
        by_hash = {}
        for it in items:
            by_hash.setdefault(it.id_hash, []).append(it.case_id)
    out: dict[str, list[str]] = {}
    for it in items:
        group = by_hash[it.id_hash]
        if len(group) == 1 and it.id_hash not in existing:
            continue
        candidates = existing.get(it.id_hash, [])[:max_links + 1] + group[:max_links + 1]
        others = [c for c in candidates if c != it.case_id][:max_links]
        if others:
            out[it.case_id] = others
    return out


def joint_link_records(joint: dict[str, list[str]], new_case_ids: set[str],
                       id_hash_of: dict[str, str]) -> list[tuple[str, str, str]]:
    """Rows of joint_debt_links, both directions: new -> other, and stored -> new (a pair of two
    new cases appears once from each side already)."""
    rows = []
    for case_id, others in joint.items():
        h = id_hash_of[case_id]
        for other in others:
            rows.append((case_id, other, h))
            if other not in new_case_ids:
                rows.append((other, case_id, h))
    return rows


def import_sla(received_at: datetime, imported_at: datetime, *, target_seconds: int,
               max_seconds: int) -> dict[str, Any]:
    """R-6: a placement is imported within 1 hour of arrival, 3 hours at most (configurable)."""
    to_import = (imported_at - received_at).total_seconds()
    return {"import_target_seconds": target_seconds, "import_max_seconds": max_seconds,
            "import_within_target": to_import <= target_seconds,
            "import_within_max": to_import <= max_seconds}
