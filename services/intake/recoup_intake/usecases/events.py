"""Payload builders for the events intake emits after import (case.updated, payment.posted).

Dicts rather than pydantic models on the bulk paths (a million repayments); the tests validate
samples against recoup_shared.bus.events.CaseUpdated / PaymentPosted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from recoup_shared.bus.envelope import new_envelope
from recoup_shared.bus.topics import CASE_UPDATED, PAYMENT_POSTED

ZERO = Decimal("0.00")


def outstanding(placed_amount: Decimal, repaid_total: Decimal) -> Decimal:
    """R-5: what is still owed — the placed amount (after balance updates) minus repayments, never
    below zero (an overpayment does not make the agency owe the debtor through this number)."""
    return max(placed_amount - repaid_total, ZERO)


def case_updated(*, client_id: str, case_id: str, change: str, status: str,
                 correlation_id: str | None, occurred_at: datetime, reason: str | None = None,
                 effective_on: date | None = None, **fields: Any) -> tuple[str, dict[str, Any]]:
    payload: dict[str, Any] = {"change": change, "status": status}
    if reason is not None:
        payload["reason"] = reason
    if effective_on is not None:
        payload["effective_on"] = effective_on
    payload.update({k: v for k, v in fields.items() if v is not None})
    return CASE_UPDATED, new_envelope(event_type=CASE_UPDATED, producer="intake", client_id=client_id,
                                      case_id=case_id, payload=payload, correlation_id=correlation_id,
                                      occurred_at=occurred_at)


def payment_posted(*, client_id: str, case_id: str, event_id: str, correlation_id: str | None,
                   occurred_at: datetime, account_masked: str, amount: Decimal, paid_at: datetime,
                   txn_ref: str, channel: str | None, repaid_total: Decimal, outstanding: Decimal,
                   closes_case: bool) -> tuple[str, dict[str, Any]]:
    payload: dict[str, Any] = {
        "account_masked": account_masked, "amount": amount, "paid_at": paid_at.isoformat(),
        "txn_ref": txn_ref, "repaid_total": repaid_total, "outstanding": outstanding,
        "closes_case": closes_case}
    if channel is not None:
        payload["channel"] = channel
    return PAYMENT_POSTED, new_envelope(event_type=PAYMENT_POSTED, producer="intake", client_id=client_id,
                                        case_id=case_id, payload=payload, correlation_id=correlation_id,
                                        occurred_at=occurred_at, event_id=event_id)  # type: ignore[arg-type]
