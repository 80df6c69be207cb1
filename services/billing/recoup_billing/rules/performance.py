"""Collector performance for the agency's pay scheme (R-43): what each figure means, and the
PTP-kept rate. The set-based queries are in views.py."""

from __future__ import annotations

from decimal import Decimal

from .fees import recovery_rate

DEFINITIONS = {
    "recovered": "repayments counted for billing (paid while the case was placed) with paid_on in the month, "
                 "attributed to the case's owner at paid_at (ownership interval from case.allocated)",
    "unattributed": "counted repayments when no collector owned the case at paid_at",
    "contacts": "contact records by the day of the attempt, attributed to their author; a promise outcome "
                "is no contact; a corrected record counts once, with its latest correction's values",
    "calls": "contact records with channel call or inbound_call, by the day logged",
    "effective_contacts": "contact records marked effective (connected, R-15)",
    "ptps_made": "contact records carrying a promise to pay (or the first instalment of a plan)",
    "ptp_kept_rate": "kept ÷ decided, over the promises made in the month; kept / decided = the contact "
                     "service's outcome of the promise as a whole (R-23: repayments matched oldest first, "
                     "grace days, tolerance); a promise without one named (no promise_id) is kept when the "
                     "case's repayments from the promise day to the due date reach the promised amount, "
                     "decided when kept or its due date passed",
}


def kept_rate(kept: int, decided: int) -> Decimal | None:
    """A count ratio, truncated to 4 places like recovery rates (recovery_rate works on any
    non-negative 2-place amounts); None while nothing is decided."""
    return recovery_rate(Decimal(kept), Decimal(decided)) if decided else None
