"""Unit tests of the pure fee-schedule rules (R-39..R-41): defaults, validation, versions."""
from __future__ import annotations

import dataclasses
import decimal
from datetime import date
from decimal import Decimal as D

import pytest

from recoup_billing.rules import (
    BillingRuleError,
    BucketTerms,
    FeeSchedule,
    FeeScheduleError,
    ReductionMode,
    bucket_for_dpd,
    default_schedule,
    schedule_from_dict,
    schedule_in_force,
    schedule_to_dict,
)

S = default_schedule("bank-a")  # example base rates 10/18/25/33%, 20% relative reduction


# --- schedule defaults and validation ---------------------------------------------------------------

def test_default_schedule_matches_domain():
    assert [(b.name, b.dpd_min, b.dpd_max) for b in S.buckets] == [
        ("<=90", 0, 90), ("91-180", 91, 180), ("181-360", 181, 360), (">=361", 361, None)]
    assert [b.benchmark_rate for b in S.buckets] == [D("0.85"), D("0.65"), D("0.45"), D("0.40")]
    assert [b.minimum_rate for b in S.buckets] == [D("0.60"), D("0.30"), D("0.15"), D("0.05")]
    assert [b.base_rate for b in S.buckets] == [D("0.10"), D("0.18"), D("0.25"), D("0.33")]
    assert (S.reduction_pct, S.reduction_mode) == (D("0.20"), ReductionMode.RELATIVE)
    assert (S.consecutive_months_to_zero, S.cycle_months, S.rounding) == (3, 3, "ROUND_HALF_UP")


@pytest.mark.parametrize("dpd, bucket", [
    (0, "<=90"), (1, "<=90"), (90, "<=90"), (91, "91-180"), (180, "91-180"), (181, "181-360"),
    (360, "181-360"), (361, ">=361"), (5000, ">=361"),
])
def test_bucket_for_dpd_at_placement(dpd, bucket):
    assert bucket_for_dpd(S, dpd).name == bucket


def test_bucket_for_dpd_rejects_bad_input():
    with pytest.raises(BillingRuleError):
        bucket_for_dpd(S, -1)
    with pytest.raises(TypeError):
        bucket_for_dpd(S, 90.0)  # type: ignore[arg-type]


def _b(name, lo, hi, base="0.1", bm="0.5", mn="0.2"):
    return BucketTerms(name, lo, hi, D(base), D(bm), D(mn))


@pytest.mark.parametrize("buckets, message", [
    ((), "at least one bucket"),
    ((_b("a", 1, 90), _b("b", 91, None)), "must start at DPD 0"),
    ((_b("a", 0, 90), _b("b", 92, None)), "gap"),
    ((_b("a", 0, 90), _b("b", 90, None)), "overlaps"),
    ((_b("a", 0, 90), _b("b", 91, 180)), "must be open-ended"),
    ((_b("a", 0, None), _b("b", 91, None)), "only the last bucket"),
    ((_b("a", 0, 90), _b("a", 91, None)), "appears twice"),
])
def test_schedule_bucket_layout_is_validated(buckets, message):
    with pytest.raises(FeeScheduleError, match=message):
        FeeSchedule("c", 1, date(2024, 1, 1), buckets, D("0.2"))


@pytest.mark.parametrize("kwargs, message", [
    (dict(base="1.01"), "base_rate must be a fraction"),
    (dict(base="-0.01"), "base_rate must be a fraction"),
    (dict(bm="0.5", mn="0.6"), "minimum_rate 0.6 is above benchmark_rate"),
    (dict(bm="0.85001"), "at most 4 decimal places"),
])
def test_bucket_rates_are_validated(kwargs, message):
    with pytest.raises(FeeScheduleError, match=message):
        _b("a", 0, None, **kwargs)


def test_bucket_dpd_range_is_validated():
    with pytest.raises(FeeScheduleError, match="below dpd_min"):
        _b("a", 10, 5)
    with pytest.raises(FeeScheduleError, match="non-empty"):
        _b(" ", 0, None)


@pytest.mark.parametrize("change, message", [
    (dict(version=0), "version must be >= 1"),
    (dict(reduction_pct=D("1.5")), "reduction_pct"),
    (dict(reduction_mode="sideways"), "reduction_mode"),
    (dict(consecutive_months_to_zero=0), "consecutive_months_to_zero"),
    (dict(cycle_months=0), "cycle_months"),
    (dict(rounding="ROUND_NICELY"), "rounding must be one of"),
    (dict(client_id=""), "client_id"),
])
def test_schedule_fields_are_validated(change, message):
    with pytest.raises(FeeScheduleError, match=message):
        dataclasses.replace(S, **change)


def test_schedule_errors_are_value_errors_and_floats_are_type_errors():
    assert issubclass(FeeScheduleError, ValueError) and issubclass(BillingRuleError, ValueError)
    with pytest.raises(TypeError, match="float"):
        BucketTerms("a", 0, None, 0.1, D("0.5"), D("0.2"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dataclasses.replace(S, reduction_pct=0.2)
    with pytest.raises(TypeError):
        dataclasses.replace(S, effective_from="2024-01-01")


def test_schedule_roundtrips_through_json_safe_dict():
    s = dataclasses.replace(S, buckets=(dataclasses.replace(S.buckets[0], reduction_pct=D("0.5")), *S.buckets[1:]),
                            reduction_mode=ReductionMode.ABSOLUTE, rounding=decimal.ROUND_HALF_EVEN, version=7)
    d = schedule_to_dict(s)
    assert d["buckets"][0]["base_rate"] == "0.10" and d["reduction_mode"] == "absolute"
    assert d["effective_from"] == "2000-01-01"
    assert schedule_from_dict(d) == s
    with pytest.raises(TypeError):
        schedule_from_dict({**d, "reduction_pct": 0.2})
    with pytest.raises(FeeScheduleError, match="missing field 'buckets'"):
        schedule_from_dict({k: v for k, v in d.items() if k != "buckets"})
    with pytest.raises(FeeScheduleError, match="not a decimal"):
        schedule_from_dict({**d, "reduction_pct": "twenty"})


def test_schedule_in_force_picks_latest_effective_then_highest_version():
    v1 = default_schedule("c", version=1, effective_from=date(2024, 1, 1))
    v2 = default_schedule("c", version=2, effective_from=date(2024, 4, 1))
    v3 = default_schedule("c", version=3, effective_from=date(2024, 4, 1), rounding=decimal.ROUND_HALF_EVEN)
    assert schedule_in_force([v1, v2, v3], date(2024, 3, 31)) is v1
    assert schedule_in_force([v3, v1, v2], date(2024, 4, 1)) is v3
    with pytest.raises(BillingRuleError, match="no fee schedule"):
        schedule_in_force([v2], date(2024, 1, 1))
    with pytest.raises(BillingRuleError, match="several clients"):
        schedule_in_force([v1, default_schedule("d")], date(2024, 5, 1))
