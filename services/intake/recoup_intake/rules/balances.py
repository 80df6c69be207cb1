"""What a case still owes, and how repayments and balance updates change it (R-4, R-5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import W_TOTAL_MISMATCH

ZERO = Decimal("0.00")
AMOUNT_KEYS = ("principal", "interest", "fees")


def outstanding(placed_amount: Decimal, repaid_total: Decimal) -> Decimal:
    """R-5: what is still owed — the placed amount (after balance updates) minus repayments, never
    below zero (an overpayment does not make the agency owe the debtor through this number)."""
    return max(placed_amount - repaid_total, ZERO)


def repayment_effect(status: str, placed_amount: Decimal, repaid_total: Decimal) -> tuple[Decimal, bool, str | None]:
    """R-5, after a repayment brought the case's repaid total to `repaid_total`: (what is still
    owed, whether it closes the case — an open case fully repaid closes automatically, 结清自动闭案 —,
    the flag of a repayment for a case no longer open: `case_recalled` / `case_closed`; the money
    is recorded all the same)."""
    left = outstanding(placed_amount, repaid_total)
    return left, status == "open" and left == 0, None if status == "open" else f"case_{status}"


def update_balance(state: dict[str, Any], amounts: dict[str, Decimal]) -> tuple[Decimal, bool]:
    """R-4/R-5 更新息费: the amounts given replace the case's (`state`, changed in place); a given
    `placed_amount` wins over principal + interest + fees (flagged `total_mismatch` when they
    disagree, as on import), otherwise it is recomputed from the parts. Returns (what is still
    owed, whether the case closes: nothing left to collect)."""
    for key in AMOUNT_KEYS:
        if key in amounts:
            state[key] = amounts[key]
    parts = state["principal"] + state["interest"] + state["fees"]
    if "placed_amount" in amounts:
        state["placed_amount"] = amounts["placed_amount"]
        if parts != state["placed_amount"] and W_TOTAL_MISMATCH not in state["warnings"]:
            state["warnings"].append(W_TOTAL_MISMATCH)
    else:
        state["placed_amount"] = parts
    left = outstanding(state["placed_amount"], state["repaid_total"])
    return left, left == 0
