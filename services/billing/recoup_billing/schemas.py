"""Requests and responses of the billing API (imported by the routes only; the use cases answer
plain data of the same shape). Amounts and rates are Decimal, serialised as decimal
strings (never floats, R-44); rates are fractions (0.85 = 85%) with a *_pct text beside them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- fee schedules ----------------------------------------------------------------------------

class BucketIn(_In):
    name: str | None = Field(default=None, min_length=1, max_length=40, examples=["91-180"],
                             description="default: '<dpd_min>-<dpd_max>', or '>=<dpd_min>' for the last")
    dpd_min: int = Field(ge=0)
    dpd_max: int | None = Field(default=None, ge=0, description="null = open-ended (last bucket)")
    base_rate: Decimal = Field(validation_alias=AliasChoices("base_rate", "fee_rate", "base"),
                               description="fee rate as a fraction, e.g. 0.18 for 18% (R-39)")
    benchmark_rate: Decimal = Field(validation_alias=AliasChoices("benchmark_rate", "benchmark"),
                                    description="benchmark recovery rate, e.g. 0.65 (R-40)")
    minimum_rate: Decimal = Field(validation_alias=AliasChoices("minimum_rate", "minimum", "minimum_standard"),
                                  description="minimum standard, e.g. 0.30 (R-41)")
    reduction_pct: Decimal | None = Field(default=None, description="this bucket's reduction; null = the schedule's")

    @model_validator(mode="after")
    def _default_name(self) -> "BucketIn":
        if self.name is None:
            self.name = f"{self.dpd_min}-{self.dpd_max}" if self.dpd_max is not None else f">={self.dpd_min}"
        return self


class FeeScheduleIn(_In):
    effective_from: date = Field(description="a month is billed under the version in force on its first day")
    buckets: list[BucketIn] = Field(min_length=1, max_length=20)
    reduction_pct: Decimal = Field(description="R-40 reduction below benchmark, e.g. 0.20")
    reduction_mode: Literal["relative", "absolute"] = "relative"
    consecutive_months_to_zero: int = Field(default=3, ge=1, le=24, description="R-41")
    cycle_months: int = Field(default=3, ge=1, le=24, description="R-40 collection cycle")
    rounding: str = Field(default="ROUND_HALF_UP", description="decimal rounding mode of fees to 0.01 CNY (R-44)")
    note: str | None = Field(default=None, max_length=2000)


class BucketOut(BaseModel):
    name: str
    dpd_min: int
    dpd_max: int | None
    base_rate: Decimal
    benchmark_rate: Decimal
    minimum_rate: Decimal
    reduction_pct: Decimal | None
    reduced_rate: Decimal


class FeeScheduleOut(BaseModel):
    client_id: str
    version: int
    effective_from: date
    buckets: list[BucketOut]
    reduction_pct: Decimal
    reduction_mode: str
    consecutive_months_to_zero: int
    cycle_months: int
    rounding: str
    created_by: str | None = None
    created_at: datetime | None = None
    note: str | None = None


class FeeSchedulesOut(BaseModel):
    client_id: str
    current: FeeScheduleOut | None = Field(description="the version in force today (business date)")
    versions: list[FeeScheduleOut] = Field(description="every version, newest first")
    default_fallback: bool = Field(description="whether statements fall back to the built-in default schedule")


# --- statements -------------------------------------------------------------------------------

class ScheduleRef(BaseModel):
    version: int
    source: Literal["configured", "default"]
    effective_from: date
    rounding: str
    reduction_mode: str
    reduction_pct: Decimal
    cycle_months: int
    consecutive_months_to_zero: int


class CycleOut(BaseModel):
    month_start: date
    month_end: date = Field(description="inclusive")
    window_start: date
    window_end: date = Field(description="inclusive")
    definition: str


class LineOut(BaseModel):
    position: int
    bucket: str
    dpd_min: int
    dpd_max: int | None
    cases: int = Field(description="spells in the cohort (placed in the cycle window)")
    repayments: int = Field(description="counted repayments in the cycle window by the cohort")
    placed_before_exclusions: Decimal
    excluded_placed: Decimal
    placed: Decimal = Field(description="denominator: placed after R-42 exclusions")
    recovered: Decimal = Field(description="fee base: counted repayments received in the month (R-39)")
    recovered_in_cycle: Decimal = Field(description="numerator: cohort repayments in the cycle (R-40)")
    recovery_rate: Decimal | None
    recovery_rate_pct: str
    benchmark: Decimal
    minimum: Decimal
    base_rate: Decimal
    tier: str
    fee_rate: Decimal
    fee_rate_pct: str
    fee: Decimal
    months_below_minimum_before: int
    months_below_minimum: int
    formula: str
    explanation: str


class TotalsOut(BaseModel):
    cases: int
    placed_before_exclusions: Decimal
    excluded_placed: Decimal
    placed: Decimal
    recovered: Decimal
    recovered_in_cycle: Decimal
    recovery_rate: Decimal | None
    recovery_rate_pct: str
    fee: Decimal


class HistoryBucketOut(BaseModel):
    bucket: str
    placed: Decimal | None = None
    recovered_in_cycle: Decimal | None = None
    recovery_rate: Decimal | None
    minimum: Decimal | None
    below_minimum: bool


class HistoryMonthOut(BaseModel):
    month: str
    source: str = Field(description="'issued rN' (frozen), 'computed' or 'no schedule in force'")
    schedule_version: int | None
    buckets: list[HistoryBucketOut]


class NotCountedReasonOut(BaseModel):
    reason: str
    description: str
    count: int
    amount: Decimal


class NotCountedRepaymentOut(BaseModel):
    txn_ref: str
    case_id: UUID
    amount: Decimal
    paid_on: date
    reason: str


class NotCountedOut(BaseModel):
    count: int
    amount: Decimal
    rule: str
    by_reason: list[NotCountedReasonOut]
    sample: list[NotCountedRepaymentOut]


class StatementOut(BaseModel):
    client_id: str
    month: str
    status: Literal["draft", "issued", "superseded"]
    revision: int | None = Field(description="null for a draft")
    latest_revision: int | None
    schedule: ScheduleRef
    cycle: CycleOut
    lines: list[LineOut]
    totals: TotalsOut
    below_minimum_history: list[HistoryMonthOut]
    not_counted: NotCountedOut
    computed_at: datetime
    issued_at: datetime | None = None
    issued_by: str | None = None
    reason: str | None = None
    superseded_at: datetime | None = None


class StatementSummaryOut(BaseModel):
    month: str
    revision: int
    status: str
    schedule_version: int
    total_placed: Decimal
    total_recovered: Decimal
    total_fee: Decimal
    issued_at: datetime
    issued_by: str
    reason: str | None
    superseded_at: datetime | None


class StatementListOut(BaseModel):
    client_id: str
    statements: list[StatementSummaryOut] = Field(description="newest month and revision first")
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")


class ReissueIn(_In):
    reason: str = Field(min_length=3, max_length=2000)


class DrillRepaymentOut(BaseModel):
    txn_ref: str
    amount: Decimal
    paid_at: datetime
    paid_on: date
    channel: str | None
    counted_in_cycle: bool
    counted_in_month: bool


class DrillCaseOut(BaseModel):
    case_id: UUID
    placement_id: str
    placed_on: date
    end_on: date
    in_cohort: bool
    placed: Decimal
    excluded: bool
    recovered_in_cycle: Decimal
    recovered_in_month: Decimal
    repayments: list[DrillRepaymentOut]


class DrillSumsOut(BaseModel):
    cases: int
    placed: Decimal
    excluded_placed: Decimal
    recovered_in_cycle: Decimal
    recovered: Decimal


class DrillDownOut(BaseModel):
    client_id: str
    month: str
    bucket: str
    status: str
    revision: int | None
    total: int
    limit: int
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")
    sums: DrillSumsOut = Field(description="over the whole line (every page); equals the line's figures")
    cases: list[DrillCaseOut]


class NotCountedPageOut(BaseModel):
    client_id: str
    month: str
    status: str
    revision: int | None
    total: int
    limit: int
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")
    by_reason: list[NotCountedReasonOut]
    repayments: list[NotCountedRepaymentOut]


# --- recovery rates ---------------------------------------------------------------------------

class RateBucketOut(BaseModel):
    bucket: str
    dpd_min: int
    dpd_max: int | None
    cases: int
    repayments: int
    placed_before_exclusions: Decimal
    excluded_placed: Decimal
    placed: Decimal
    recovered_in_cycle: Decimal
    recovery_rate: Decimal | None
    recovery_rate_pct: str
    benchmark: Decimal
    minimum: Decimal
    formula: str


class RateMonthOut(BaseModel):
    month: str
    schedule_version: int
    schedule_source: str
    cycle: CycleOut
    buckets: list[RateBucketOut]
    total: RateBucketOut


class RecoveryRatesOut(BaseModel):
    client_id: str
    formula: str
    months: list[RateMonthOut]


# --- exclusions -------------------------------------------------------------------------------

class ExclusionIn(_In):
    case_id: UUID
    placement_id: str | None = Field(default=None, description="default: the case's latest placement")
    kind: Literal["death", "conviction"]
    evidence_ref: str = Field(min_length=1, max_length=500)
    evidence_sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    note: str | None = Field(default=None, max_length=2000)


class ExclusionOut(BaseModel):
    id: int
    case_id: UUID
    placement_id: str
    client_id: str
    kind: str
    evidence_ref: str
    evidence_sha256: str
    note: str | None
    recorded_by: str
    recorded_at: datetime
    placed_on: date
    placed_amount: Decimal
    takes_effect_in: str = Field(description="first statement month whose denominator it reduces (R-42)")
    issued_revision_affected: int | None = Field(
        default=None, description="that month's issued revision, if any: re-issue it to apply the exclusion")


class ExclusionListOut(BaseModel):
    total: int
    exclusions: list[ExclusionOut]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")


# --- performance ------------------------------------------------------------------------------

class CollectorDayOut(BaseModel):
    day: date
    contacts: int
    calls: int
    effective_contacts: int
    ptps_made: int


class CollectorPerformanceOut(BaseModel):
    collector_id: str
    team_id: str | None
    recovered: Decimal
    repayments: int
    cases_with_repayments: int
    contacts: int
    calls: int
    effective_contacts: int
    active_days: int
    ptps_made: int
    ptps_kept: int
    ptps_decided: int
    ptp_kept_rate: Decimal | None
    ptp_kept_rate_pct: str
    daily: list[CollectorDayOut] | None = None


class PerformanceOut(BaseModel):
    month: str
    team_id: str | None
    client_id: str | None
    definitions: dict[str, str]
    collectors: list[CollectorPerformanceOut]
    unattributed: Decimal
    unattributed_repayments: int
    total_recovered: Decimal
