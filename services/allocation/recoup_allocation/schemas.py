"""Request and response models of the allocation staff API. Money is Decimal (JSON string out),
never float; timestamps are timezone-aware."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .rules import Strategy

Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Word = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]

PLANNING_STRATEGIES = tuple(s for s in Strategy if s is not Strategy.MANUAL)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- teams --------------------------------------------------------------------------------------
class TeamIn(_In):
    team_id: Id
    name: Name
    lead_id: Id | None = None
    active: bool = True


class TeamPatch(_In):
    name: Name | None = None
    lead_id: Id | None = None
    active: bool | None = None


class TeamOut(BaseModel):
    team_id: str
    name: str
    lead_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


# --- collectors ---------------------------------------------------------------------------------
class _Skills(_In):
    clients: list[Word] | None = Field(default=None, description="clients they may work; null = any")
    products: list[Word] | None = None
    dpd_buckets: list[Word] | None = None
    regions: list[Word] | None = None
    max_open_cases: int | None = Field(default=None, ge=0)
    max_open_amount: Money | None = None
    capacity_weight: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=4)


class CollectorIn(_Skills):
    collector_id: Id = Field(description="the `sub` of the collector's tokens")
    name: Name
    team_id: Id | None = None
    role: Literal["collector", "team_lead"] = "collector"
    active: bool = True


class CollectorPatch(_Skills):
    """Only the fields sent are changed; send null to clear a skill list (= any) or a cap."""
    name: Name | None = None
    team_id: Id | None = None
    role: Literal["collector", "team_lead"] | None = None
    active: bool | None = None


class CollectorOut(BaseModel):
    collector_id: str
    name: str
    team_id: str | None
    role: str
    active: bool
    clients: list[str] | None
    products: list[str] | None
    dpd_buckets: list[str] | None
    regions: list[str] | None
    max_open_cases: int | None
    max_open_amount: Decimal | None
    capacity_weight: Decimal | None
    created_at: datetime
    updated_at: datetime


# --- client rules (R-9) -------------------------------------------------------------------------
class ClientRulesIn(_In):
    dedicated_team_ids: list[Id] = Field(default_factory=list, description="empty = any team")
    excluded_collector_ids: list[Id] = Field(default_factory=list)
    default_strategy: Strategy = Strategy.COMPREHENSIVE
    auto_allocate: bool = True
    rotation_enabled: bool = True
    team_products: dict[Id, list[Word]] = Field(default_factory=dict)
    team_dpd_buckets: dict[Id, list[Word]] = Field(default_factory=dict)

    @field_validator("default_strategy")
    @classmethod
    def _not_manual(cls, v: Strategy) -> Strategy:
        if v is Strategy.MANUAL:
            raise ValueError("manual is not a default strategy: it needs a collector")
        return v


class ClientRulesOut(BaseModel):
    client_id: str
    dedicated_team_ids: list[str]
    excluded_collector_ids: list[str]
    default_strategy: str
    auto_allocate: bool
    rotation_enabled: bool
    team_products: dict[str, list[str]]
    team_dpd_buckets: dict[str, list[str]]
    updated_by: str | None
    updated_at: datetime


# --- case filters and plans (R-10) ---------------------------------------------------------------
class CaseFilter(_In):
    client_id: Id | None = None
    placement_id: Word | None = None
    status: Literal["unassigned", "assigned"] = Field(
        default="unassigned", description="assigned = reassign cases that already have an owner")
    case_ids: list[Id] | None = Field(default=None, max_length=200_000)
    dpd_buckets: list[Word] | None = None
    regions: list[Word] | None = None
    products: list[Word] | None = None
    amount_min: Money | None = None
    amount_max: Money | None = None
    owner_ids: list[Id] | None = Field(default=None, description="current owners (status assigned)")
    owner_team_ids: list[Id] | None = None

    @model_validator(mode="after")
    def _range(self) -> "CaseFilter":
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValueError("amount_min is above amount_max")
        if (self.owner_ids or self.owner_team_ids) and self.status != "assigned":
            raise ValueError("owner_ids/owner_team_ids select assigned cases: set status to assigned")
        return self


class CollectorFilter(_In):
    team_ids: list[Id] | None = None
    collector_ids: list[Id] | None = None


def _flatten(data: Any, nested: tuple[str, ...]) -> Any:
    """Accept both {"client_id": ..} and {"filter": {"client_id": ..}} (and "collectors")."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key in nested:
        inner = data.pop(key, None)
        if inner is None:
            continue
        if not isinstance(inner, dict):
            raise ValueError(f"{key} must be an object")
        clash = sorted(set(inner) & set(data))
        if clash:
            raise ValueError(f"{', '.join(clash)} given both at the top level and in {key}")
        data.update(inner)
    return data


class PreviewIn(CaseFilter, CollectorFilter):
    """Cases to place (the filter) and the collectors to place them with."""
    strategy: Strategy | None = Field(
        default=None, description="default: the client's default strategy, else the service default")

    @model_validator(mode="before")
    @classmethod
    def _nested(cls, data: Any) -> Any:
        return _flatten(data, ("filter", "collectors"))

    @field_validator("strategy")
    @classmethod
    def _planning(cls, v: Strategy | None) -> Strategy | None:
        if v is Strategy.MANUAL:
            raise ValueError("manual allocation has its own route: POST /v1/allocations/manual")
        return v


class ManualIn(CaseFilter):
    """R-10 manual allocation of one case or a selection (case_ids, or the filter) to a collector."""
    collector_id: Id
    force: bool = Field(default=False, description="override capacity (not eligibility); recorded")
    note: Reason | None = None
    preview: bool = Field(default=False, description="only preview; commit later like any plan")
    partial: bool = Field(default=False, description="commit what fits even if some cases are refused")

    @model_validator(mode="before")
    @classmethod
    def _nested(cls, data: Any) -> Any:
        return _flatten(data, ("filter",))


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class RotationPreviewIn(CollectorFilter):
    month: date = Field(description="the month evaluated, YYYY-MM (or any date in it)")
    client_id: Id | None = None
    strategy: Strategy | None = None

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, v: Any) -> Any:
        if isinstance(v, str):
            m = _MONTH.match(v)
            if m:
                return date(int(m.group(1)), int(m.group(2)), 1)
        return v

    @field_validator("month")
    @classmethod
    def _first(cls, v: date) -> date:
        return v.replace(day=1)

    @field_validator("strategy")
    @classmethod
    def _planning(cls, v: Strategy | None) -> Strategy | None:
        if v is Strategy.MANUAL:
            raise ValueError("rotation needs a planning strategy, not manual")
        return v

    @model_validator(mode="before")
    @classmethod
    def _nested(cls, data: Any) -> Any:
        return _flatten(data, ("collectors",))


class BalanceOut(BaseModel):
    collectors: int
    mean_cases: Decimal
    mean_amount: Decimal
    max_dev_cases: Decimal
    max_dev_cases_pct: Decimal
    max_dev_amount: Decimal
    max_dev_amount_pct: Decimal


class CollectorFigures(BaseModel):
    collector_id: str
    name: str | None = None
    team_id: str | None
    open_cases_before: int
    open_amount_before: Decimal
    new_cases: int
    new_amount: Decimal
    released_cases: int
    released_amount: Decimal
    open_cases_after: int
    open_amount_after: Decimal


class CaseReason(BaseModel):
    case_id: str
    reason: str


class PlanOut(BaseModel):
    plan_id: str
    kind: str
    strategy: str
    status: str
    client_id: str | None = None
    month: date | None = None
    forced: bool = False
    created_by: str
    created_at: datetime
    expires_at: datetime
    committed_by: str | None = None
    committed_at: datetime | None = None
    cases_selected: int
    cases_planned: int
    cases_kept: int
    cases_unassigned: int
    amount_planned: Decimal
    unassigned: dict[str, int] = Field(description="reason → number of cases left out")
    unassigned_cases: list[CaseReason]
    unassigned_truncated: bool = False
    notes: list[CaseReason] = Field(default_factory=list)
    collectors: list[CollectorFigures]
    balance: BalanceOut = Field(description="over the new cases of the plan")
    balance_after: BalanceOut = Field(description="over the open books after commit")
    filters: dict[str, Any] = Field(default_factory=dict)


class CommitOut(PlanOut):
    committed: int = Field(description="cases that changed owner")
    events: int = Field(description="case.allocated events written to the outbox")


class PlanItemOut(BaseModel):
    case_id: str
    collector_id: str
    team_id: str | None
    previous_collector_id: str | None


class PlanItemsPage(BaseModel):
    items: list[PlanItemOut]
    next_cursor: str | None


class PlanListItem(BaseModel):
    plan_id: str
    kind: str
    strategy: str
    status: str
    client_id: str | None
    month: date | None
    items: int
    created_by: str
    created_at: datetime
    expires_at: datetime
    committed_at: datetime | None


# --- cases --------------------------------------------------------------------------------------
class PauseIn(_In):
    reason: Reason


class ResumeIn(_In):
    reason: Reason
    return_to_previous_owner: bool = Field(
        default=True, description="give it straight back to the collector who had it, when they "
                                  "are active, eligible and have room; else it returns to the pool")


class CaseOut(BaseModel):
    case_id: str
    client_id: str
    placement_id: str | None
    placement_ref: str | None
    product: str
    placed_amount: Decimal
    outstanding: Decimal
    dpd: int | None
    dpd_bucket: str
    region: str | None
    flags: list[str]
    status: str
    collector_id: str | None
    team_id: str | None
    previous_collector_id: str | None
    received_at: datetime
    allocated_at: datetime | None
    first_allocated_at: datetime | None
    first_contact_due: date | None
    recall_on: date | None
    pause_reason: str | None
    paused_by: str | None
    paused_at: datetime | None
    joint_case_ids: list[str] = Field(default_factory=list, description="other open cases of the debtor (R-7)")


class HistoryEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    collector_id: str
    team_id: str | None
    from_: datetime = Field(alias="from")
    to: datetime | None
    strategy: str
    reason: str
    end_reason: str | None
    plan_id: str | None


class CaseDetail(CaseOut):
    history: list[HistoryEntry]


class OwnerAt(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    case_id: str
    at: datetime
    collector_id: str | None
    team_id: str | None
    from_: datetime | None = Field(default=None, alias="from")
    to: datetime | None = None
    strategy: str | None = None
    reason: str | None = None


class CasePage(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None


class CollectorLoadOut(BaseModel):
    collector_id: str
    name: str
    active: bool
    open_cases: int
    open_amount: Decimal
    max_open_cases: int | None
    max_open_amount: Decimal | None
    cases_used_pct: Decimal | None = Field(description="open / max, %, half-up to 0.01")
    amount_used_pct: Decimal | None


class TeamLoadOut(BaseModel):
    team_id: str
    collectors: list[CollectorLoadOut]
    open_cases: int
    open_amount: Decimal


# --- SLA (R-8) ----------------------------------------------------------------------------------
class SlaRow(BaseModel):
    client_id: str
    day: date = Field(description="arrival day, debtor's zone")
    deadline: datetime
    received: int
    allocated: int
    pending: int
    p50_seconds: float | None
    p95_seconds: float | None
    max_seconds: float | None
    breaches: int = Field(description="allocated after the deadline, or still waiting past it")


class SlaReport(BaseModel):
    sla_working_days: int
    rows: list[SlaRow]
