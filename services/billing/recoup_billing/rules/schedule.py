"""Fee schedules: a client contract's billing terms as versioned, validated configuration (R-39..R-41).

A schedule is immutable; a contract change is a new ``version`` with its own ``effective_from``.
Every statement records the version it was computed with.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from .money import DEFAULT_ROUNDING, ROUNDING_MODES, BillingRuleError, as_decimal, exact_mul, exact_sub, rate

__all__ = [
    "FeeScheduleError",
    "ReductionMode",
    "BucketTerms",
    "FeeSchedule",
    "DEFAULT_BUCKETS",
    "EXAMPLE_BASE_RATES",
    "EXAMPLE_REDUCTION_PCT",
    "DEFAULT_CONSECUTIVE_MONTHS_TO_ZERO",
    "DEFAULT_CYCLE_MONTHS",
    "DEFAULT_EFFECTIVE_FROM",
    "THRESHOLD_PLACES",
    "default_schedule",
    "bucket_for_dpd",
    "reduced_rate",
    "schedule_in_force",
    "schedule_to_dict",
    "schedule_from_dict",
]


class FeeScheduleError(BillingRuleError):
    """A fee schedule is inconsistent (gaps, overlaps, rates out of range, ...)."""


class ReductionMode(StrEnum):
    # The contract: "服务费率将按对应逾期阶段基准服务费率下调相应比例" — the base rate is lowered
    # by a *proportion*, hence RELATIVE is the default.
    RELATIVE = "relative"  # reduced rate = base × (1 − pct); 18% with pct 0.20 → 14.4%
    ABSOLUTE = "absolute"  # reduced rate = base − pct (percentage points), never below 0; 18% − 0.05 → 13%


# Benchmark and minimum rates are compared with the recovery rate truncated to 4 places, which is
# exact only if the thresholds themselves have at most 4 places.
THRESHOLD_PLACES = 4

# defaults: (name, dpd_min, dpd_max, benchmark, minimum). DPD is counted at placement.
DEFAULT_BUCKETS: tuple[tuple[str, int, int | None, Decimal, Decimal], ...] = (
    ("<=90", 0, 90, Decimal("0.85"), Decimal("0.60")),
    ("91-180", 91, 180, Decimal("0.65"), Decimal("0.30")),
    ("181-360", 181, 360, Decimal("0.45"), Decimal("0.15")),
    (">=361", 361, None, Decimal("0.40"), Decimal("0.05")),
)
# EXAMPLES ONLY: base rates and the reduction are per client contract (the source contract leaves
# them blank). Real schedules must state their own.
EXAMPLE_BASE_RATES: tuple[Decimal, ...] = (Decimal("0.10"), Decimal("0.18"), Decimal("0.25"), Decimal("0.33"))
EXAMPLE_REDUCTION_PCT = Decimal("0.20")
DEFAULT_CONSECUTIVE_MONTHS_TO_ZERO = 3
DEFAULT_CYCLE_MONTHS = 3  # one collection cycle = 3 months
DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)


def _int(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise FeeScheduleError(f"{field} must be >= {minimum}, got {value}")
    return value


def _fraction(value: object, field: str, *, max_places: int | None = None) -> Decimal:
    try:
        return rate(value, field, max_places=max_places)
    except BillingRuleError as exc:
        raise FeeScheduleError(str(exc)) from None


@dataclass(frozen=True)
class BucketTerms:
    """One DPD bucket of a contract (R-39..R-41). Rates are fractions: 0.18 = 18%."""

    name: str
    dpd_min: int
    dpd_max: int | None  # None = open-ended (the last bucket)
    base_rate: Decimal
    benchmark_rate: Decimal
    minimum_rate: Decimal
    # The contract lists a reduction per bucket (各逾期阶段具体下调比例); None = use the schedule's.
    reduction_pct: Decimal | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise FeeScheduleError("bucket name must be a non-empty string")
        where = f"bucket {self.name!r}"
        _int(self.dpd_min, f"{where}: dpd_min", 0)
        if self.dpd_max is not None:
            _int(self.dpd_max, f"{where}: dpd_max", 0)
            if self.dpd_max < self.dpd_min:
                raise FeeScheduleError(f"{where}: dpd_max {self.dpd_max} is below dpd_min {self.dpd_min}")
        set_ = object.__setattr__  # frozen: normalise ints to Decimal once, here
        set_(self, "base_rate", _fraction(self.base_rate, f"{where}: base_rate"))
        set_(self, "benchmark_rate",
             _fraction(self.benchmark_rate, f"{where}: benchmark_rate", max_places=THRESHOLD_PLACES))
        set_(self, "minimum_rate",
             _fraction(self.minimum_rate, f"{where}: minimum_rate", max_places=THRESHOLD_PLACES))
        if self.reduction_pct is not None:
            set_(self, "reduction_pct", _fraction(self.reduction_pct, f"{where}: reduction_pct"))
        if self.minimum_rate > self.benchmark_rate:
            raise FeeScheduleError(
                f"{where}: minimum_rate {self.minimum_rate} is above benchmark_rate {self.benchmark_rate}")

    def contains(self, dpd: int) -> bool:
        return self.dpd_min <= dpd and (self.dpd_max is None or dpd <= self.dpd_max)

    @property
    def dpd_label(self) -> str:
        return f"DPD >= {self.dpd_min}" if self.dpd_max is None else f"DPD {self.dpd_min}-{self.dpd_max}"


@dataclass(frozen=True)
class FeeSchedule:
    """A client's fee schedule, one version (R-39..R-42, R-44). Validated on construction."""

    client_id: str
    version: int
    effective_from: date
    buckets: tuple[BucketTerms, ...]
    reduction_pct: Decimal  # applied to the fee rate when a bucket is below its benchmark
    reduction_mode: ReductionMode = ReductionMode.RELATIVE
    consecutive_months_to_zero: int = DEFAULT_CONSECUTIVE_MONTHS_TO_ZERO
    cycle_months: int = DEFAULT_CYCLE_MONTHS
    rounding: str = DEFAULT_ROUNDING  # fee rounding to 0.01 CNY, a decimal.ROUND_* name

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.client_id, str) or not self.client_id.strip():
            raise FeeScheduleError("client_id must be a non-empty string")
        _int(self.version, "version", 1)
        if isinstance(self.effective_from, datetime) or not isinstance(self.effective_from, date):
            raise TypeError(f"effective_from must be a date, got {type(self.effective_from).__name__}")
        if isinstance(self.buckets, (str, bytes)) or not isinstance(self.buckets, Iterable):
            raise TypeError("buckets must be a sequence of BucketTerms")
        set_(self, "buckets", tuple(self.buckets))
        set_(self, "reduction_pct", _fraction(self.reduction_pct, "reduction_pct"))
        try:
            set_(self, "reduction_mode", ReductionMode(self.reduction_mode))
        except ValueError:
            raise FeeScheduleError(
                f"reduction_mode must be one of {[m.value for m in ReductionMode]}, got {self.reduction_mode!r}"
            ) from None
        _int(self.consecutive_months_to_zero, "consecutive_months_to_zero", 1)
        _int(self.cycle_months, "cycle_months", 1)
        if self.rounding not in ROUNDING_MODES:
            raise FeeScheduleError(f"rounding must be one of {sorted(ROUNDING_MODES)}, got {self.rounding!r}")
        self._check_buckets()

    def _check_buckets(self) -> None:
        # every DPD from 0 upwards falls in exactly one bucket.
        if not self.buckets:
            raise FeeScheduleError("a schedule needs at least one bucket")
        names: set[str] = set()
        expected_min = 0
        for i, b in enumerate(self.buckets):
            if not isinstance(b, BucketTerms):
                raise TypeError(f"buckets[{i}] must be BucketTerms, got {type(b).__name__}")
            if b.name in names:
                raise FeeScheduleError(f"bucket name {b.name!r} appears twice")
            names.add(b.name)
            if b.dpd_min != expected_min:
                kind = ("overlaps the previous bucket" if b.dpd_min < expected_min
                        else "leaves a gap after the previous bucket")
                raise FeeScheduleError(
                    f"bucket {b.name!r} starts at DPD {b.dpd_min} but must start at {expected_min}: it {kind}"
                    if i else f"the first bucket {b.name!r} must start at DPD 0, not {b.dpd_min}")
            last = i == len(self.buckets) - 1
            if b.dpd_max is None and not last:
                raise FeeScheduleError(f"only the last bucket may be open-ended; {b.name!r} is not last")
            if b.dpd_max is not None and last:
                raise FeeScheduleError(f"the last bucket {b.name!r} must be open-ended (dpd_max None)")
            if b.dpd_max is not None:
                expected_min = b.dpd_max + 1

    def bucket(self, name: str) -> BucketTerms:
        for b in self.buckets:
            if b.name == name:
                return b
        raise BillingRuleError(f"schedule v{self.version} of {self.client_id} has no bucket {name!r}; "
                               f"buckets are {[b.name for b in self.buckets]}")

    def reduction_for(self, terms: BucketTerms) -> Decimal:
        return self.reduction_pct if terms.reduction_pct is None else terms.reduction_pct


def default_schedule(
    client_id: str,
    *,
    version: int = 1,
    effective_from: date = DEFAULT_EFFECTIVE_FROM,
    base_rates: Sequence[Decimal] = EXAMPLE_BASE_RATES,
    reduction_pct: Decimal = EXAMPLE_REDUCTION_PCT,
    reduction_mode: ReductionMode = ReductionMode.RELATIVE,
    consecutive_months_to_zero: int = DEFAULT_CONSECUTIVE_MONTHS_TO_ZERO,
    cycle_months: int = DEFAULT_CYCLE_MONTHS,
    rounding: str = DEFAULT_ROUNDING,
) -> FeeSchedule:
    """domain.md defaults (buckets, benchmarks, minimums, 3 months, 3-month cycle, ROUND_HALF_UP)
    with EXAMPLE base rates (10/18/25/33%) and an EXAMPLE 20% relative reduction."""
    if len(base_rates) != len(DEFAULT_BUCKETS):
        raise FeeScheduleError(f"base_rates needs {len(DEFAULT_BUCKETS)} rates, one per default bucket")
    buckets = tuple(
        BucketTerms(name=n, dpd_min=lo, dpd_max=hi, base_rate=r, benchmark_rate=bm, minimum_rate=mn)
        for (n, lo, hi, bm, mn), r in zip(DEFAULT_BUCKETS, base_rates)
    )
    return FeeSchedule(client_id=client_id, version=version, effective_from=effective_from, buckets=buckets,
                       reduction_pct=reduction_pct, reduction_mode=reduction_mode,
                       consecutive_months_to_zero=consecutive_months_to_zero, cycle_months=cycle_months,
                       rounding=rounding)


def bucket_for_dpd(schedule: FeeSchedule, dpd: int) -> BucketTerms:
    """R-39: the bucket is fixed by the case's DPD at placement (later ageing does not move it)."""
    if isinstance(dpd, bool) or not isinstance(dpd, int):
        raise TypeError(f"dpd must be an int, got {type(dpd).__name__}")
    if dpd < 0:
        raise BillingRuleError(f"dpd at placement must not be negative, got {dpd}")
    for b in schedule.buckets:
        if b.contains(dpd):
            return b
    raise AssertionError("validated schedules cover every DPD >= 0")  # pragma: no cover


def reduced_rate(terms: BucketTerms, schedule: FeeSchedule) -> Decimal:
    """R-40: the fee rate of a bucket below its benchmark (exact, not rounded)."""
    pct = schedule.reduction_for(terms)
    if schedule.reduction_mode is ReductionMode.RELATIVE:
        return exact_mul(terms.base_rate, exact_sub(Decimal(1), pct))
    return max(exact_sub(terms.base_rate, pct), Decimal(0))


def schedule_in_force(schedules: Iterable[FeeSchedule], on: date) -> FeeSchedule:
    """The version in force on ``on``: latest effective_from <= on, then highest version.

    Which day of a month decides is the caller's choice (suggested: the month's first day, so one
    month is billed under exactly one version).
    """
    candidates = list(schedules)
    clients = {s.client_id for s in candidates}
    if len(clients) > 1:
        raise BillingRuleError(f"schedules of several clients given: {sorted(clients)}")
    in_force = [s for s in candidates if s.effective_from <= on]
    if not in_force:
        raise BillingRuleError(f"no fee schedule is in force on {on.isoformat()}")
    return max(in_force, key=lambda s: (s.effective_from, s.version))


# --- serialisation (JSON-safe: decimals as strings, so nothing passes through float) -------------

def _dec(value: object) -> str | None:
    return None if value is None else str(value)


def schedule_to_dict(schedule: FeeSchedule) -> dict[str, Any]:
    d = dataclasses.asdict(schedule)
    d["effective_from"] = schedule.effective_from.isoformat()
    d["reduction_mode"] = schedule.reduction_mode.value
    d["reduction_pct"] = _dec(schedule.reduction_pct)
    d["buckets"] = [
        {**dataclasses.asdict(b), **{k: _dec(getattr(b, k))
                                     for k in ("base_rate", "benchmark_rate", "minimum_rate", "reduction_pct")}}
        for b in schedule.buckets
    ]
    return d


def _parse_dec(value: object, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return as_decimal(Decimal(value.strip()), field)
        except InvalidOperation:
            raise FeeScheduleError(f"{field} is not a decimal number: {value!r}") from None
    return as_decimal(value, field)  # Decimal/int pass, float → TypeError


def schedule_from_dict(data: Mapping[str, Any]) -> FeeSchedule:
    """Inverse of schedule_to_dict; decimals may be strings, Decimals or ints (never floats)."""
    try:
        eff = data["effective_from"]
        if isinstance(eff, str):
            try:
                eff = date.fromisoformat(eff)
            except ValueError:
                raise FeeScheduleError(f"effective_from is not an ISO date: {eff!r}") from None
        buckets = tuple(
            BucketTerms(
                name=b["name"], dpd_min=b["dpd_min"], dpd_max=b.get("dpd_max"),
                base_rate=_parse_dec(b["base_rate"], f"buckets[{i}].base_rate"),
                benchmark_rate=_parse_dec(b["benchmark_rate"], f"buckets[{i}].benchmark_rate"),
                minimum_rate=_parse_dec(b["minimum_rate"], f"buckets[{i}].minimum_rate"),
                reduction_pct=_parse_dec(b.get("reduction_pct"), f"buckets[{i}].reduction_pct"),
            )
            for i, b in enumerate(data["buckets"])
        )
        optional = {k: data[k] for k in ("reduction_mode", "consecutive_months_to_zero", "cycle_months", "rounding")
                    if k in data}
        return FeeSchedule(
            client_id=data["client_id"], version=data["version"],
            effective_from=eff,
            buckets=buckets, reduction_pct=_parse_dec(data["reduction_pct"], "reduction_pct"), **optional,
        )
    except KeyError as exc:
        raise FeeScheduleError(f"fee schedule is missing field {exc.args[0]!r}") from None
