"""Unit tests of the pure fee rules (R-39..R-44): worked examples checked by hand + properties.
Schedules: test_rules_schedule.py; the month close's pure parts: test_rules_close.py."""
from __future__ import annotations

import dataclasses
import decimal
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_billing.rules import (
    BillingRuleError,
    BucketInput,
    FeeSchedule,
    ReductionMode,
    TierName,
    compute_line,
    compute_statement,
    consecutive_months_below_minimum,
    cycle_window,
    default_schedule,
    explain_recovery_rate,
    fee_tier,
    placed_after_exclusions,
    recovery_rate,
    reduced_rate,
    round_money,
)

S = default_schedule("bank-a")  # example base rates 10/18/25/33%, 20% relative reduction


def line(bucket: str, placed: str, month: str, cycle: str, before: int = 0, schedule: FeeSchedule = S,
         excluded: str = "0"):
    return compute_line(schedule.bucket(bucket), D(placed), D(month), D(cycle), before, schedule,
                        excluded_placed=D(excluded))


# --- recovery rate and exclusions (R-42) -------------------------------------------------------

def test_recovery_rate_is_cycle_repaid_over_placed_truncated_to_4_places():
    assert recovery_rate(D("86000.00"), D("100000.00")) == D("0.8600")
    assert recovery_rate(D("1.00"), D("3.00")) == D("0.3333")
    assert recovery_rate(D("2.00"), D("3.00")) == D("0.6666")  # truncated, not 0.6667
    assert recovery_rate(D("150.00"), D("100.00")) == D("1.5000")  # may exceed 100%
    assert recovery_rate(D("0"), D("100")) == D("0.0000")


def test_recovery_rate_is_none_when_nothing_placed():
    assert recovery_rate(D("0.00"), D("0.00")) is None
    assert recovery_rate(D("5.00"), D("0.00")) is None


def test_recovery_rate_rejects_floats_negatives_and_fractions_of_a_fen():
    with pytest.raises(TypeError):
        recovery_rate(1.0, D("2"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        recovery_rate(D("1"), 2.0)  # type: ignore[arg-type]
    with pytest.raises(BillingRuleError, match="negative"):
        recovery_rate(D("-1"), D("2"))
    with pytest.raises(BillingRuleError, match="2 decimal places"):
        recovery_rate(D("1.005"), D("2"))
    with pytest.raises(BillingRuleError, match="finite"):
        recovery_rate(D("NaN"), D("2"))


def test_placed_after_exclusions_never_below_zero():
    assert placed_after_exclusions(D("120000.00"), D("20000.00")) == D("100000.00")
    assert placed_after_exclusions(D("100.00"), D("250.00")) == D("0.00")
    assert placed_after_exclusions(D("100"), D("0")) == D("100.00")


def test_rate_explanation_shows_inputs():
    e = explain_recovery_rate(D("86000"), D("120000"), D("20000"))
    assert (e.placed, e.rate) == (D("100000.00"), D("0.8600"))
    assert e.formula == ("recovery rate = repaid in cycle 86,000.00 ÷ placed 100,000.00 "
                         "(= 120,000.00 − 20,000.00 excluded, R-42) = 86.00% (truncated to 0.01%)")
    assert "undefined" in explain_recovery_rate(D("0"), D("0")).formula


# --- worked examples: every bucket, every branch (checked by hand) ------------------------------------
# Default schedule: base 10/18/25/33%; reduced (×0.8) 8/14.4/20/26.4%; benchmark 85/65/45/40%;
# minimum 60/30/15/5%; 3 consecutive months below minimum → no fee; ROUND_HALF_UP to 0.01.

WORKED = [
    # bucket, placed, month, cycle, before, tier, rate, fee, run
    # <=90: placed 100,000
    ("<=90", "100000.00", "30000.00", "86000.00", 0, "standard", "0.10", "3000.00", 0),  # 86% >= 85%
    ("<=90", "100000.00", "30000.00", "85000.00", 0, "standard", "0.10", "3000.00", 0),  # exactly 85%
    ("<=90", "100000.00", "20000.00", "84999.99", 0, "reduced", "0.08", "1600.00", 0),  # 84.99%
    ("<=90", "100000.00", "20000.00", "60000.00", 2, "reduced", "0.08", "1600.00", 0),  # exactly min: resets run
    ("<=90", "100000.00", "10000.00", "50000.00", 0, "below_minimum", "0.08", "800.00", 1),
    ("<=90", "100000.00", "10000.00", "50000.00", 1, "below_minimum", "0.08", "800.00", 2),
    ("<=90", "100000.00", "10000.00", "50000.00", 2, "no_fee", "0", "0.00", 3),
    ("<=90", "100000.00", "10000.00", "50000.00", 3, "no_fee", "0", "0.00", 4),  # run continues: still none
    # 91-180: placed 50,000; 12,345.67 × 18% = 2,222.2206; × 14.4% = 1,777.77648
    ("91-180", "50000.00", "12345.67", "32500.00", 0, "standard", "0.18", "2222.22", 0),  # exactly 65%
    ("91-180", "50000.00", "12345.67", "32499.99", 0, "reduced", "0.144", "1777.78", 0),  # 64.99%
    ("91-180", "50000.00", "1000.00", "14999.99", 0, "below_minimum", "0.144", "144.00", 1),  # 29.99%
    ("91-180", "50000.00", "1000.00", "14999.99", 1, "below_minimum", "0.144", "144.00", 2),
    ("91-180", "50000.00", "1000.00", "14999.99", 2, "no_fee", "0", "0.00", 3),
    # 181-360: placed 200,000
    ("181-360", "200000.00", "40000.00", "100000.00", 0, "standard", "0.25", "10000.00", 0),  # 50%
    ("181-360", "200000.00", "40000.00", "60000.00", 0, "reduced", "0.20", "8000.00", 0),  # 30%
    ("181-360", "200000.00", "5000.00", "20000.00", 0, "below_minimum", "0.20", "1000.00", 1),  # 10%
    ("181-360", "200000.00", "5000.00", "20000.00", 1, "below_minimum", "0.20", "1000.00", 2),
    ("181-360", "200000.00", "5000.00", "20000.00", 2, "no_fee", "0", "0.00", 3),
    # >=361: placed 1,000,000; 33,333.33 × 26.4% = 8,799.99912
    (">=361", "1000000.00", "150000.00", "400000.00", 0, "standard", "0.33", "49500.00", 0),
    (">=361", "1000000.00", "33333.33", "100000.00", 0, "reduced", "0.264", "8800.00", 0),  # 10%
    (">=361", "1000000.00", "10000.00", "49999.99", 0, "below_minimum", "0.264", "2640.00", 1),  # 4.99%
    (">=361", "1000000.00", "10000.00", "49999.99", 1, "below_minimum", "0.264", "2640.00", 2),
    (">=361", "1000000.00", "10000.00", "49999.99", 2, "no_fee", "0", "0.00", 3),
]


@pytest.mark.parametrize("bucket, placed, month, cycle, before, tier, fee_rate, fee, run", WORKED)
def test_worked_examples(bucket, placed, month, cycle, before, tier, fee_rate, fee, run):
    ln = line(bucket, placed, month, cycle, before)
    assert ln.tier == TierName(tier)
    assert ln.fee_rate == D(fee_rate)
    assert ln.fee == D(fee) and ln.fee.as_tuple().exponent == -2
    assert ln.months_below_minimum == run and ln.below_minimum == (run > 0)
    assert (ln.placed, ln.recovered, ln.recovered_in_cycle) == (D(placed), D(month), D(cycle))
    assert ln.benchmark_rate == S.bucket(bucket).benchmark_rate and ln.minimum_rate == S.bucket(bucket).minimum_rate
    assert tier.replace("_", " ").split()[0] in ln.explanation.replace("_", " ")


def test_three_consecutive_months_walkthrough_then_recovery():  # R-41, months fed forward
    runs, fees = [], []
    before = 0
    for cycle in ("50000.00", "50000.00", "50000.00", "70000.00", "50000.00"):
        ln = line("<=90", "100000.00", "10000.00", cycle, before)
        runs.append(ln.tier.value)
        fees.append(ln.fee)
        before = ln.months_below_minimum
    assert runs == ["below_minimum", "below_minimum", "no_fee", "reduced", "below_minimum"]
    assert fees == [D("800.00"), D("800.00"), D("0.00"), D("800.00"), D("800.00")]


def test_explanation_is_complete():
    ln = line("<=90", "120000.00", "30000.00", "86000.00", excluded="20000.00")
    assert ln.explanation == (
        "<=90 (DPD 0-90): recovery rate = repaid in cycle 86,000.00 ÷ placed 100,000.00 "
        "(= 120,000.00 − 20,000.00 excluded, R-42) = 86.00% (truncated to 0.01%); standard: 86.00% >= "
        "benchmark 85.00%: base rate 10.00% (R-40); fee = recovered 30,000.00 × 10.00% = 3,000.00 "
        "(ROUND_HALF_UP to 0.01 CNY)")
    ln = line("<=90", "100000.00", "10000.00", "50000.00", 2)
    assert "for 3 consecutive months (limit 3): no fee (R-41)" in ln.explanation


def test_consecutive_limit_is_configurable():
    s1 = dataclasses.replace(S, consecutive_months_to_zero=1)
    assert line("<=90", "100", "10", "50", 0, schedule=s1).tier is TierName.NO_FEE
    s5 = dataclasses.replace(S, consecutive_months_to_zero=5)
    assert line("<=90", "100", "10", "50", 3, schedule=s5).tier is TierName.BELOW_MINIMUM
    assert line("<=90", "100", "10", "50", 4, schedule=s5).tier is TierName.NO_FEE


# --- exclusions (R-42) ----------------------------------------------------------------------------

def test_exclusion_lifts_bucket_above_benchmark():
    without = line("<=90", "100000.00", "10000.00", "68000.00")
    with_ = line("<=90", "100000.00", "10000.00", "68000.00", excluded="20000.00")
    assert (without.recovery_rate, without.tier, without.fee) == (D("0.6800"), TierName.REDUCED, D("800.00"))
    assert (with_.recovery_rate, with_.tier, with_.fee) == (D("0.8500"), TierName.STANDARD, D("1000.00"))
    assert (with_.placed_before_exclusions, with_.excluded_placed, with_.placed) == (
        D("100000.00"), D("20000.00"), D("80000.00"))


def test_exclusion_larger_than_placed_leaves_zero_and_no_rate():
    ln = line("181-360", "1000.00", "100.00", "100.00", 2, excluded="5000.00")
    assert (ln.placed, ln.recovery_rate, ln.tier, ln.fee, ln.months_below_minimum) == (
        D("0.00"), None, TierName.STANDARD, D("25.00"), 0)


# --- placed 0 ---------------------------------------------------------------------------------------

def test_placed_zero_gives_no_rate_standard_tier_and_breaks_the_run():
    ln = line("91-180", "0", "0", "0", 2)
    assert (ln.recovery_rate, ln.tier, ln.fee_rate, ln.fee, ln.months_below_minimum) == (
        None, TierName.STANDARD, D("0.18"), D("0.00"), 0)
    assert "undefined" in ln.explanation
    ln = line("91-180", "0", "100.00", "100.00")  # repayment on a bucket with nothing (left) placed
    assert ln.fee == D("18.00")


# --- rounding (R-44) -------------------------------------------------------------------------------

@pytest.mark.parametrize("month, half_up, half_even, down", [
    ("0.05", "0.01", "0.00", "0.00"),  # 0.005
    ("12.25", "1.23", "1.22", "1.22"),  # 1.225
    ("12.35", "1.24", "1.24", "1.23"),  # 1.235
    ("0.15", "0.02", "0.02", "0.01"),  # 0.015
    ("12.34", "1.23", "1.23", "1.23"),  # 1.234
])
def test_fee_rounding_modes(month, half_up, half_even, down):  # base 10%, standard tier
    for mode, expected in ((decimal.ROUND_HALF_UP, half_up), (decimal.ROUND_HALF_EVEN, half_even),
                           (decimal.ROUND_DOWN, down)):
        s = dataclasses.replace(S, rounding=mode)
        assert line("<=90", "100.00", month, "100.00", schedule=s).fee == D(expected), mode


def test_rounding_of_reduced_rate_is_single_and_exact():
    # 91-180 reduced 14.4%: 0.25 × 0.144 = 0.036 → 0.04; 10.45 × 0.144 = 1.5048 → 1.50
    assert line("91-180", "100.00", "0.25", "50.00").fee == D("0.04")
    assert line("91-180", "100.00", "10.45", "50.00").fee == D("1.50")
    # 1.75 × 0.144 = 0.252 → 0.25 (a pre-rounded rate of 0.14 would give 0.245 → 0.25 by luck; 0.15 → 0.26)
    assert line("91-180", "100.00", "1.75", "50.00").fee == D("0.25")


# --- reduction modes and per-bucket reductions -----------------------------------------------------

def test_reduction_modes():
    assert reduced_rate(S.bucket("91-180"), S) == D("0.144")
    absolute = dataclasses.replace(S, reduction_mode=ReductionMode.ABSOLUTE, reduction_pct=D("0.05"))
    assert reduced_rate(absolute.bucket("91-180"), absolute) == D("0.13")
    assert reduced_rate(absolute.bucket("<=90"), dataclasses.replace(absolute, reduction_pct=D("0.5"))) == 0
    assert line("91-180", "100.00", "100.00", "50.00", schedule=absolute).fee == D("13.00")
    per_bucket = dataclasses.replace(
        S, buckets=(S.buckets[0], dataclasses.replace(S.buckets[1], reduction_pct=D("0.5")), *S.buckets[2:]))
    assert reduced_rate(per_bucket.bucket("91-180"), per_bucket) == D("0.09")
    assert reduced_rate(per_bucket.bucket("<=90"), per_bucket) == D("0.08")


def test_fee_tier_direct():
    t = S.bucket("<=90")
    assert fee_tier(t, D("0.85"), 0, S).name is TierName.STANDARD
    assert fee_tier(t, D("0.8499"), 0, S).name is TierName.REDUCED
    assert fee_tier(t, D("0.5999"), 1, S).name is TierName.BELOW_MINIMUM
    nf = fee_tier(t, D("0"), 2, S)
    assert (nf.name, nf.fee_rate, nf.months_below_minimum, nf.below_minimum) == (TierName.NO_FEE, 0, 3, True)
    assert fee_tier(t, None, 5, S).name is TierName.STANDARD
    with pytest.raises(TypeError):
        fee_tier(t, 0.9, 0, S)  # type: ignore[arg-type]
    with pytest.raises(BillingRuleError):
        fee_tier(t, D("0.9"), -1, S)
    with pytest.raises(BillingRuleError):
        fee_tier(t, D("-0.1"), 0, S)


def test_compute_line_rejects_foreign_terms_and_floats():
    other = default_schedule("x", base_rates=(D("0.5"),) * 4)
    with pytest.raises(BillingRuleError, match="not part of schedule"):
        compute_line(other.bucket("<=90"), D("1"), D("1"), D("1"), 0, S)
    with pytest.raises(TypeError):
        compute_line(S.bucket("<=90"), D("1"), 1.0, D("1"), 0, S)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BucketInput("<=90", 100.0, D("1"), D("1"))  # type: ignore[arg-type]


# --- statement --------------------------------------------------------------------------------------

def test_statement_worked_example():
    st_ = compute_statement(S, [
        BucketInput(">=361", D("1000000.00"), D("33333.33"), D("100000.00")),
        BucketInput("<=90", D("120000.00"), D("30000.00"), D("86000.00"), excluded_placed=D("20000.00")),
        BucketInput("91-180", D("50000.00"), D("1000.00"), D("14999.99"), months_below_minimum_before=2),
    ])
    assert [ln.bucket for ln in st_.lines] == ["<=90", "91-180", "181-360", ">=361"]
    assert [ln.fee for ln in st_.lines] == [D("3000.00"), D("0.00"), D("0.00"), D("8800.00")]
    assert [ln.tier.value for ln in st_.lines] == ["standard", "no_fee", "standard", "reduced"]
    assert st_.total_fee == D("11800.00")
    assert st_.total_placed == D("1150000.00") and st_.total_placed_before_exclusions == D("1170000.00")
    assert st_.total_excluded_placed == D("20000.00")
    assert st_.total_recovered == D("64333.33") and st_.total_recovered_in_cycle == D("200999.99")
    assert st_.total_recovery_rate == D("0.1747")  # 200,999.99 / 1,150,000 = 0.174782...
    assert (st_.client_id, st_.schedule_version, st_.rounding) == ("bank-a", 1, "ROUND_HALF_UP")


def test_statement_rejects_unknown_and_duplicate_buckets():
    with pytest.raises(BillingRuleError, match="no bucket 'M7'"):
        compute_statement(S, [BucketInput("M7", D("1"), D("1"), D("1"))])
    with pytest.raises(BillingRuleError, match="two inputs"):
        compute_statement(S, [BucketInput("<=90", D("1"), D("1"), D("1"))] * 2)


# --- helpers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("history, run", [
    ([], 0), ([False], 0), ([True], 1), ([True, True, False], 0), ([False, True, True], 2),
    ([True, False, True, True, True], 3),
])
def test_consecutive_months_below_minimum(history, run):
    assert consecutive_months_below_minimum(history) == run


def test_consecutive_months_rejects_non_bools():
    with pytest.raises(TypeError):
        consecutive_months_below_minimum([1, 0])  # type: ignore[list-item]


def test_cycle_window():
    assert cycle_window(date(2024, 3, 15), 3) == (date(2024, 1, 1), date(2024, 4, 1))
    assert cycle_window(date(2024, 1, 1), 3) == (date(2023, 11, 1), date(2024, 2, 1))
    assert cycle_window(date(2024, 12, 31), 1) == (date(2024, 12, 1), date(2025, 1, 1))
    with pytest.raises(BillingRuleError):
        cycle_window(date(2024, 1, 1), 0)


# --- properties -------------------------------------------------------------------------------------

MONEY = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
FRACTION = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)
ROUNDING = st.sampled_from(sorted({decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN, decimal.ROUND_DOWN,
                                   decimal.ROUND_UP, decimal.ROUND_CEILING, decimal.ROUND_FLOOR}))


@st.composite
def schedules(draw):
    base = draw(st.lists(FRACTION, min_size=4, max_size=4))
    return default_schedule(
        "p", base_rates=base, reduction_pct=draw(FRACTION), reduction_mode=draw(st.sampled_from(ReductionMode)),
        consecutive_months_to_zero=draw(st.integers(1, 4)), rounding=draw(ROUNDING))


@settings(max_examples=300, deadline=None)
@given(s=schedules(), b=st.integers(0, 3), placed=MONEY, month=MONEY, cycle=MONEY, excluded=MONEY,
       before=st.integers(0, 5))
def test_fee_never_negative_and_never_above_base_rate(s, b, placed, month, cycle, excluded, before):
    terms = s.buckets[b]
    ln = compute_line(terms, placed, month, cycle, before, s, excluded_placed=excluded)
    assert ln.fee >= 0
    assert ln.fee <= round_money(month * terms.base_rate, s.rounding)
    assert 0 <= ln.fee_rate <= terms.base_rate
    assert ln.fee.as_tuple().exponent == -2


@settings(max_examples=300, deadline=None)
@given(s=schedules(), b=st.integers(0, 3), placed=MONEY, cycle=MONEY, m1=MONEY, m2=MONEY, before=st.integers(0, 5))
def test_fee_monotone_in_recovered_within_a_tier(s, b, placed, cycle, m1, m2, before):
    lo, hi = sorted((m1, m2))
    a = compute_line(s.buckets[b], placed, lo, cycle, before, s)
    z = compute_line(s.buckets[b], placed, hi, cycle, before, s)
    assert a.tier == z.tier and a.fee <= z.fee


@settings(max_examples=300, deadline=None)
@given(s=schedules(), b=st.integers(0, 3), placed=MONEY, month=MONEY, c1=MONEY, c2=MONEY, before=st.integers(0, 5))
def test_better_recovery_never_lowers_the_fee(s, b, placed, month, c1, c2, before):
    lo, hi = sorted((c1, c2))
    assert (compute_line(s.buckets[b], placed, month, lo, before, s).fee
            <= compute_line(s.buckets[b], placed, month, hi, before, s).fee)


@settings(max_examples=200, deadline=None)
@given(s=schedules(), rows=st.lists(st.tuples(MONEY, MONEY, MONEY, st.integers(0, 4), MONEY), min_size=4, max_size=4),
       present=st.lists(st.booleans(), min_size=4, max_size=4))
def test_statement_totals_are_sums_of_lines(s, rows, present):
    inputs = [BucketInput(t.name, p, m, c, n, e) for t, (p, m, c, n, e), keep in zip(s.buckets, rows, present) if keep]
    stmt = compute_statement(s, inputs)
    assert len(stmt.lines) == 4
    assert stmt.total_fee == sum((ln.fee for ln in stmt.lines), D(0))
    assert stmt.total_placed == sum((ln.placed for ln in stmt.lines), D(0))
    assert stmt.total_recovered == sum((ln.recovered for ln in stmt.lines), D(0))
    by_bucket = {i.bucket: i for i in inputs}
    for ln in stmt.lines:
        inp = by_bucket.get(ln.bucket)
        if inp is None:  # absent bucket → a zero line
            assert (ln.placed, ln.recovered, ln.fee, ln.recovery_rate) == (0, 0, 0, None)
        else:
            assert ln == compute_line(s.bucket(ln.bucket), inp.placed, inp.recovered_in_month,
                                      inp.recovered_in_cycle, inp.months_below_minimum_before, s,
                                      excluded_placed=inp.excluded_placed)


@settings(max_examples=300, deadline=None)
@given(recovered=MONEY, placed=MONEY.filter(lambda p: p > 0), threshold=FRACTION)
def test_truncated_rate_compares_exactly_like_the_true_quotient(recovered, placed, threshold):
    assert (recovery_rate(recovered, placed) >= threshold) == (recovered >= placed * threshold)


@settings(max_examples=200, deadline=None)
@given(months=st.lists(st.booleans(), max_size=12), limit=st.integers(1, 4))
def test_month_by_month_run_matches_history_helper(months, limit):
    s = dataclasses.replace(S, consecutive_months_to_zero=limit)
    before, history = 0, []
    for below in months:
        ln = line("<=90", "100.00", "10.00", "50.00" if below else "70.00", before, schedule=s)
        history.append(below)
        assert ln.months_below_minimum == consecutive_months_below_minimum(history)
        assert (ln.tier is TierName.NO_FEE) == (consecutive_months_below_minimum(history) >= limit)
        before = ln.months_below_minimum
