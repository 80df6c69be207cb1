"""The month close's pure parts: the definitions a statement quotes, which schedule bills a
month, the bucket layout, how rates are shown, the R-41 history months and when an R-42
exclusion takes effect. The SQL that computes the figures is store/close.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from recoup_shared.clock import add_months, month_start

from .errors import BucketNotFound, NoFeeSchedule
from .fees import explain_recovery_rate
from .model import Choice, Figures
from .schedule import FeeSchedule, default_schedule

COHORT_DEFINITION = (
    "Cycle window = the schedule's cycle_months calendar months ending with the statement month. "
    "Cohort = placement spells of the client placed (placed_on) in the window; placed = their placed "
    "amounts as of the end of the month (latest balance change effective by then), minus R-42 "
    "exclusions of spells placed in the window's first month (their cycle completes in this statement). "
    "Repaid in cycle = repayments of the cohort paid in the window while the case was placed. "
    "Recovered (fee base) = repayments paid in the statement month while the case was placed, "
    "whatever month it was placed in. Recovery rate = repaid in cycle / placed, truncated to 0.01%."
)

NOT_COUNTED_RULE = (
    "A repayment counts in the month it was received (paid_on, business date) if the case was placed "
    "at the time: placed_on <= paid_on <= recall date (else the scheduled recall_on). Repayments for a "
    "recalled case after the recall, after the placement ended, before placement, or for a case billing "
    "has not received are listed here with the reason and not billed."
)

NOT_COUNTED_REASONS = {
    "case_unknown": "no case.received for this case (yet): billing does not know the placement",
    "before_placement": "paid before the case was placed with the agency",
    "after_recall": "paid after the client recalled the case (退案)",
    "after_placement_end": "paid after the placement period ended (recall_on)",
    "other_client": "the case belongs to another client",
}

RATES_FORMULA = ("recovery rate = repaid in cycle ÷ (placed − excluded), truncated to 0.01% (R-40, R-42). "
                 + COHORT_DEFINITION)


def in_force(schedules: Iterable[FeeSchedule], on: date) -> FeeSchedule | None:
    """Latest effective_from <= on, then highest version (rules.schedule_in_force, without raising)."""
    candidates = [s for s in schedules if s.effective_from <= on]
    return max(candidates, key=lambda s: (s.effective_from, s.version)) if candidates else None


def choose_schedule(schedules: Iterable[FeeSchedule], month: date, client_id: str, *,
                    fallback: bool) -> Choice:
    """The version in force on the month's first day (one month, one version); with none, the
    built-in default when `fallback` is on (guessing a client's rates would bill with numbers
    nobody agreed to, so it is off by default), else NoFeeSchedule (409)."""
    found = in_force(schedules, month)
    if found is not None:
        return Choice(found, "configured")
    if fallback:
        return Choice(default_schedule(client_id), "default")
    raise NoFeeSchedule(f"client {client_id} has no fee schedule in force on {month.isoformat()}; "
                        f"PUT /v1/fee-schedules/{client_id} first")


def lower_bounds(schedule: FeeSchedule) -> tuple[int, ...]:
    """The bucket layout as SQL's width_bucket sees it (R-39: DPD at placement)."""
    return tuple(b.dpd_min for b in schedule.buckets)


def bucket_position(schedule: FeeSchedule, bucket: str) -> tuple[int, str]:
    """A line by bucket name, else by its 1-based position: (position, name)."""
    for pos, terms in enumerate(schedule.buckets, start=1):
        if terms.name == bucket:
            return pos, terms.name
    if bucket.isdigit() and 1 <= int(bucket) <= len(schedule.buckets):
        return int(bucket), schedule.buckets[int(bucket) - 1].name
    raise BucketNotFound(f"schedule v{schedule.version} has no bucket {bucket!r}; "
                         f"buckets: {[b.name for b in schedule.buckets]} (or their position 1..n)")


def history_months(month: date, consecutive_months_to_zero: int) -> list[date]:
    """R-41: the run of months below minimum needs the previous (limit - 1) months, oldest first."""
    return [add_months(month, -j) for j in range(consecutive_months_to_zero - 1, 0, -1)]


def exclusion_takes_effect(placed_on: date, cycle_months: int) -> date:
    """R-42 as defined in store/close.py: the statement whose cycle window begins with the
    placement month, i.e. the month in which the spell's collection cycle completes."""
    return add_months(month_start(placed_on), cycle_months - 1)


def rate_of(f: Figures) -> Decimal | None:
    return explain_recovery_rate(f.cycle, f.placed, f.excluded).rate


def rate_shown(v: Decimal) -> Decimal:
    """A contract rate with 4 places (0.6500) when it has no more, else 6 — the same for a draft
    and for an issued revision read back from numeric(9,6)."""
    q4 = v.quantize(Decimal("0.0001"))
    return q4 if q4 == v else v.quantize(Decimal("0.000001"))


def rate4(v: Decimal | None) -> Decimal | None:
    """numeric(9,6) comes back with 6 places; rates are kept with 4 (rules.RATE_QUANTUM)."""
    return None if v is None else v.quantize(Decimal("0.0001"))
