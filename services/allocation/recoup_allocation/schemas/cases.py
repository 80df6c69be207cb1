"""Cases: lifecycle requests, detail with history, owner on a date, pages, team load; the
R-8 SLA report."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from .common import In, Reason

# --- cases --------------------------------------------------------------------------------------
class PauseIn(In):
    reason: Reason


class ResumeIn(In):
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
