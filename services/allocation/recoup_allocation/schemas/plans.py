"""Case filters, previews, manual allocation, rotation and plans (R-10, R-12)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from recoup_shared.clock import parse_month

from ..rules import Strategy
from .common import Id, In, Money, Reason, Word, flatten

# --- case filters and plans (R-10) ---------------------------------------------------------------
class CaseFilter(In):
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


class CollectorFilter(In):
    team_ids: list[Id] | None = None
    collector_ids: list[Id] | None = None


class PreviewIn(CaseFilter, CollectorFilter):
    """Cases to place (the filter) and the collectors to place them with."""
    strategy: Strategy | None = Field(
        default=None, description="default: the client's default strategy, else the service default")

    @model_validator(mode="before")
    @classmethod
    def _nested(cls, data: Any) -> Any:
        return flatten(data, ("filter", "collectors"))

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
        return flatten(data, ("filter",))


class RotationPreviewIn(CollectorFilter):
    month: date = Field(description="the month evaluated, YYYY-MM (or any date in it)")
    client_id: Id | None = None
    strategy: Strategy | None = None

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, v: Any) -> Any:
        if isinstance(v, str) and len(v) == 7:  # YYYY-MM; a full date goes through as a date
            return parse_month(v)
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
        return flatten(data, ("collectors",))


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
