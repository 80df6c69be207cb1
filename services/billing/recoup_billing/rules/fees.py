"""Recovery rates, fee tiers, statement lines and statements (R-39..R-42, R-44). Pure, no I/O."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from recoup_shared.clock import add_months, month_start, next_month

from .money import (
    RATE_QUANTUM,
    ZERO,
    BillingRuleError,
    as_decimal,
    exact_mul,
    exact_sub,
    fmt_money,
    fmt_pct,
    money,
    round_money,
)
from .schedule import BucketTerms, FeeSchedule, ReductionMode, reduced_rate

__all__ = [
    "TierName",
    "Tier",
    "RateExplanation",
    "StatementLine",
    "BucketInput",
    "Statement",
    "placed_after_exclusions",
    "recovery_rate",
    "explain_recovery_rate",
    "fee_tier",
    "consecutive_months_below_minimum",
    "compute_line",
    "compute_statement",
    "cycle_window",
]


class TierName(StrEnum):
    STANDARD = "standard"  # recovery rate >= benchmark (or undefined): base rate
    REDUCED = "reduced"  # below benchmark, at or above minimum: reduced rate
    BELOW_MINIMUM = "below_minimum"  # below minimum, run shorter than the limit: still the reduced rate
    NO_FEE = "no_fee"  # below minimum for the configured consecutive months: rate 0


@dataclass(frozen=True)
class Tier:
    name: TierName
    fee_rate: Decimal  # exact effective rate (not rounded); fee = recovered × fee_rate, rounded once
    base_rate: Decimal
    months_below_minimum: int  # consecutive months below minimum *including* this one; 0 if not below
    reason: str

    @property
    def below_minimum(self) -> bool:
        return self.months_below_minimum > 0


@dataclass(frozen=True)
class RateExplanation:
    recovered_in_cycle: Decimal
    placed_before_exclusions: Decimal
    excluded_placed: Decimal
    placed: Decimal  # denominator: placed after exclusions
    rate: Decimal | None
    formula: str


def placed_after_exclusions(placed: Decimal, excluded: Decimal) -> Decimal:
    """R-42: amounts of cases with proven death or criminal conviction leave the placed amount
    once their cycle is over (the caller passes only exclusions already in effect). Never < 0."""
    p = money(placed, "placed")
    e = money(excluded, "excluded_placed")
    return max(exact_sub(p, e), ZERO)


def recovery_rate(recovered: Decimal, placed: Decimal) -> Decimal | None:
    """R-40: repaid in the collection cycle ÷ placed, truncated (ROUND_DOWN) to 4 decimal places.

    None — not 0 — when nothing is placed: there is no rate to judge. Computed on integer fen, so it
    is exact: the result is the largest 4-place value not above the true quotient.
    """
    r = money(recovered, "recovered")
    p = money(placed, "placed")
    if p == 0:
        return None
    r_fen, p_fen = int(exact_mul(r, Decimal(100))), int(exact_mul(p, Decimal(100)))
    return Decimal((r_fen * 10_000) // p_fen).scaleb(-4)


def explain_recovery_rate(recovered_in_cycle: Decimal, placed: Decimal,
                          excluded_placed: Decimal = ZERO) -> RateExplanation:
    gross = money(placed, "placed")
    excluded = money(excluded_placed, "excluded_placed")
    net = placed_after_exclusions(gross, excluded)
    repaid = money(recovered_in_cycle, "recovered_in_cycle")
    r = recovery_rate(repaid, net)
    denominator = (f"placed {fmt_money(net)} (= {fmt_money(gross)} − {fmt_money(excluded)} excluded, R-42)"
                   if excluded else f"placed {fmt_money(net)}")
    if r is None:
        formula = f"recovery rate undefined: {denominator}, nothing to divide by"
    else:
        formula = (f"recovery rate = repaid in cycle {fmt_money(repaid)} ÷ {denominator} = {fmt_pct(r)} "
                   f"(truncated to 0.01%)")
    return RateExplanation(repaid, gross, excluded, net, r, formula)


def consecutive_months_below_minimum(history: Sequence[bool]) -> int:
    """R-41: length of the current run of months below minimum; ``history`` is oldest first, one
    bool per month (a month with no placed amount counts as False: it breaks the run)."""
    run = 0
    for i, below in enumerate(history):
        if not isinstance(below, bool):
            raise TypeError(f"history[{i}] must be a bool, got {type(below).__name__}")
        run = run + 1 if below else 0
    return run


def _describe_reduction(terms: BucketTerms, schedule: FeeSchedule) -> str:
    pct = schedule.reduction_for(terms)
    if schedule.reduction_mode is ReductionMode.RELATIVE:
        return f"base rate {fmt_pct(terms.base_rate)} reduced by {fmt_pct(pct)} of itself (relative)"
    return f"base rate {fmt_pct(terms.base_rate)} reduced by {fmt_pct(pct)} points (absolute)"


def fee_tier(bucket_terms: BucketTerms, recovery_rate: Decimal | None, months_below_minimum_before: int,
             schedule: FeeSchedule) -> Tier:
    """R-40/R-41: the tier and effective fee rate of one bucket for one month.

    - rate >= benchmark → standard, base rate; rate undefined (nothing placed) → standard too, and it
      breaks a below-minimum run.
    - minimum <= rate < benchmark → reduced.
    - rate < minimum → the run grows to ``before + 1``; while shorter than
      ``consecutive_months_to_zero`` the tier is below_minimum at the *reduced* rate (being under the
      minimum implies being under the benchmark; R-41 only removes the fee from the 3rd month); once
      it reaches the limit → no_fee, rate 0, and every further month of the same run stays no_fee.
    """
    terms = bucket_terms
    if isinstance(months_below_minimum_before, bool) or not isinstance(months_below_minimum_before, int):
        raise TypeError(f"months_below_minimum_before must be an int, got {type(months_below_minimum_before).__name__}")
    if months_below_minimum_before < 0:
        raise BillingRuleError(f"months_below_minimum_before must be >= 0, got {months_below_minimum_before}")
    base = terms.base_rate
    if recovery_rate is None:
        return Tier(TierName.STANDARD, base, base, 0,
                    f"nothing placed, recovery rate undefined: base rate {fmt_pct(base)} applies "
                    f"and any below-minimum run is broken")
    rr = as_decimal(recovery_rate, "recovery_rate")
    if rr < 0:
        raise BillingRuleError(f"recovery_rate must not be negative, got {rr}")
    if rr >= terms.benchmark_rate:
        return Tier(TierName.STANDARD, base, base, 0,
                    f"{fmt_pct(rr)} >= benchmark {fmt_pct(terms.benchmark_rate)}: base rate {fmt_pct(base)} (R-40)")
    reduced = reduced_rate(terms, schedule)
    reduction = f"{_describe_reduction(terms, schedule)} = {fmt_pct(reduced)}"
    if rr >= terms.minimum_rate:
        return Tier(TierName.REDUCED, reduced, base, 0,
                    f"{fmt_pct(rr)} < benchmark {fmt_pct(terms.benchmark_rate)}: {reduction} (R-40)")
    run = months_below_minimum_before + 1
    limit = schedule.consecutive_months_to_zero
    below = f"{fmt_pct(rr)} < minimum {fmt_pct(terms.minimum_rate)}"
    if run >= limit:
        return Tier(TierName.NO_FEE, Decimal(0), base, run,
                    f"{below} for {run} consecutive months (limit {limit}): no fee (R-41)")
    return Tier(TierName.BELOW_MINIMUM, reduced, base, run,
                f"{below}, month {run} of {limit} consecutive: still {reduction} (R-40, R-41)")


@dataclass(frozen=True)
class StatementLine:
    bucket: str
    dpd_min: int
    dpd_max: int | None
    placed_before_exclusions: Decimal
    excluded_placed: Decimal
    placed: Decimal  # after exclusions: the denominator of the recovery rate
    recovered: Decimal  # repaid in the statement month: the fee base
    recovered_in_cycle: Decimal  # repaid in the collection cycle: the numerator
    recovery_rate: Decimal | None
    benchmark_rate: Decimal
    minimum_rate: Decimal
    base_rate: Decimal
    tier: TierName
    fee_rate: Decimal
    fee: Decimal
    months_below_minimum: int  # run length including this month; feed it to next month's line
    rate_formula: str
    explanation: str

    @property
    def below_minimum(self) -> bool:
        return self.months_below_minimum > 0


def compute_line(terms: BucketTerms, placed: Decimal, recovered_in_month: Decimal, recovered_in_cycle: Decimal,
                 months_below_minimum_before: int, schedule: FeeSchedule, *,
                 excluded_placed: Decimal = ZERO) -> StatementLine:
    """One bucket, one month: fee = recovered in the month × effective fee rate, rounded once to
    0.01 CNY with ``schedule.rounding`` (R-39, R-44)."""
    if terms not in schedule.buckets:
        raise BillingRuleError(f"bucket {terms.name!r} is not part of schedule v{schedule.version} "
                               f"of {schedule.client_id}")
    recovered = money(recovered_in_month, "recovered_in_month")
    expl = explain_recovery_rate(recovered_in_cycle, placed, excluded_placed)
    tier = fee_tier(terms, expl.rate, months_below_minimum_before, schedule)
    fee = round_money(exact_mul(recovered, tier.fee_rate), schedule.rounding)
    fee_text = (f"fee = recovered {fmt_money(recovered)} × {fmt_pct(tier.fee_rate)} = {fmt_money(fee)} "
                f"({schedule.rounding} to 0.01 CNY)")
    explanation = (f"{terms.name} ({terms.dpd_label}): {expl.formula}; {tier.name.value}: {tier.reason}; "
                   f"{fee_text}")
    return StatementLine(
        bucket=terms.name, dpd_min=terms.dpd_min, dpd_max=terms.dpd_max,
        placed_before_exclusions=expl.placed_before_exclusions, excluded_placed=expl.excluded_placed,
        placed=expl.placed, recovered=recovered, recovered_in_cycle=expl.recovered_in_cycle,
        recovery_rate=expl.rate, benchmark_rate=terms.benchmark_rate, minimum_rate=terms.minimum_rate,
        base_rate=terms.base_rate, tier=tier.name, fee_rate=tier.fee_rate, fee=fee,
        months_below_minimum=tier.months_below_minimum, rate_formula=expl.formula, explanation=explanation,
    )


@dataclass(frozen=True)
class BucketInput:
    """Aggregated facts of one bucket for one month (built by the store from events)."""

    bucket: str
    placed: Decimal
    recovered_in_month: Decimal
    recovered_in_cycle: Decimal
    months_below_minimum_before: int = 0
    excluded_placed: Decimal = ZERO

    def __post_init__(self) -> None:  # fail at the boundary: floats and fractions of a fen never get in
        for f in ("placed", "recovered_in_month", "recovered_in_cycle", "excluded_placed"):
            object.__setattr__(self, f, money(getattr(self, f), f"{self.bucket}.{f}"))


@dataclass(frozen=True)
class Statement:
    client_id: str
    schedule_version: int
    schedule_effective_from: date
    rounding: str
    lines: tuple[StatementLine, ...]  # one per schedule bucket, in schedule order
    total_placed_before_exclusions: Decimal
    total_excluded_placed: Decimal
    total_placed: Decimal
    total_recovered: Decimal
    total_recovered_in_cycle: Decimal
    total_recovery_rate: Decimal | None  # informational; tiers are judged per bucket
    total_fee: Decimal  # = sum of the rounded line fees, never re-rounded


def compute_statement(schedule: FeeSchedule, inputs: Sequence[BucketInput]) -> Statement:
    """R-43 figures for one client and month. A bucket without input gets a zero line; an input for
    a bucket the schedule does not know, or two inputs for one bucket, is an error."""
    by_bucket: dict[str, BucketInput] = {}
    for inp in inputs:
        if not isinstance(inp, BucketInput):
            raise TypeError(f"inputs must be BucketInput, got {type(inp).__name__}")
        schedule.bucket(inp.bucket)  # raises for an unknown bucket
        if inp.bucket in by_bucket:
            raise BillingRuleError(f"two inputs for bucket {inp.bucket!r}")
        by_bucket[inp.bucket] = inp
    lines = []
    for terms in schedule.buckets:
        inp = by_bucket.get(terms.name) or BucketInput(terms.name, ZERO, ZERO, ZERO)
        lines.append(compute_line(terms, inp.placed, inp.recovered_in_month, inp.recovered_in_cycle,
                                  inp.months_below_minimum_before, schedule, excluded_placed=inp.excluded_placed))

    def total(field: str) -> Decimal:
        return sum((getattr(ln, field) for ln in lines), ZERO)

    placed, repaid_in_cycle = total("placed"), total("recovered_in_cycle")
    return Statement(
        client_id=schedule.client_id, schedule_version=schedule.version,
        schedule_effective_from=schedule.effective_from, rounding=schedule.rounding, lines=tuple(lines),
        total_placed_before_exclusions=total("placed_before_exclusions"),
        total_excluded_placed=total("excluded_placed"), total_placed=placed,
        total_recovered=total("recovered"), total_recovered_in_cycle=repaid_in_cycle,
        total_recovery_rate=recovery_rate(repaid_in_cycle, placed), total_fee=total("fee"),
    )


def cycle_window(month: date, cycle_months: int) -> tuple[date, date]:
    """R-40 (one reading): the collection cycle judged in a statement month is that month and the
    ``cycle_months - 1`` months before it. Returns [start, end) as first-of-month dates, e.g.
    (2024-03, 3) → (2024-01-01, 2024-04-01)."""
    if isinstance(cycle_months, bool) or not isinstance(cycle_months, int) or cycle_months < 1:
        raise BillingRuleError(f"cycle_months must be an int >= 1, got {cycle_months!r}")
    first = month_start(month)
    return add_months(first, -(cycle_months - 1)), next_month(first)
