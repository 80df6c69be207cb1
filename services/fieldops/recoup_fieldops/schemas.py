"""Request and response models of the API (never imported by rules/). Every text and list is
bounded; ids are plain tokens (nothing personal in URLs, R-46)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .adapters.evidence import EvidenceKind
from .rules.model import ApproverRole, Purpose
from .rules.records import Met, NextStep, Outcome

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$")]
Text = Annotated[str, Field(min_length=1, max_length=1000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
AreaName = Annotated[str, Field(min_length=1, max_length=50)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests --------------------------------------------------------------------------------------

class VisitRequestIn(_In):
    case_id: Id
    address_id: Annotated[str, Field(pattern=r"^[0-9a-f]{20}$")]   # GET /v1/cases/{id}/addresses
    purpose: Purpose
    reason: Text


class ApprovalIn(_In):
    role: ApproverRole
    comment: Text


class RejectionIn(_In):
    role: ApproverRole
    reason: Text


class CancelIn(_In):
    reason: Text


class MarkIn(_In):
    at: AwareDatetime | None = None                  # default: now
    agent_ids: Annotated[list[Id], Field(min_length=2, max_length=20)] | None = None


class PromiseIn(_In):
    amount: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
    due_on: date


class AddressIn(_In):
    kind: Annotated[str, Field(pattern=r"^(home|work|household_registration|other)$")]
    province: AreaName
    city: AreaName
    district: AreaName
    line: Annotated[str, Field(min_length=1, max_length=200)]


class RecordIn(_In):
    """R-37. Times and agents default to what was marked on arrival and departure."""
    agent_ids: Annotated[list[Id], Field(min_length=2, max_length=20)] | None = None
    arrived_at: AwareDatetime | None = None
    left_at: AwareDatetime | None = None
    address_verified: bool
    met: Annotated[list[Met], Field(min_length=1, max_length=6)]
    outcome: Outcome
    promise: PromiseIn | None = None
    new_address: AddressIn | None = None
    new_phone: Annotated[str, Field(min_length=5, max_length=32)] | None = None
    next_step: NextStep
    note: Annotated[str, Field(max_length=1000)] | None = None


class CoverageIn(_In):
    province: AreaName
    city: AreaName | None = None
    district: AreaName | None = None

    @model_validator(mode="after")
    def _district_in_a_city(self) -> "CoverageIn":
        # the same rule as rules.plan_model.Coverage, checked here so it is a 422, not a 500
        if self.district is not None and self.city is None:
            raise ValueError("a district coverage needs its city")
        return self


class TeamIn(_In):
    name: Name
    capacity: Annotated[int, Field(ge=0, le=500)] | None = None
    active: bool = True
    coverage: Annotated[list[CoverageIn], Field(min_length=1, max_length=200)]


class AgentIn(_In):
    name: Name
    team_id: Id | None = None
    active: bool = True


class OffDutyIn(_In):
    reason: Annotated[str, Field(max_length=200)] | None = None


# --- answers ---------------------------------------------------------------------------------------

class AddressOut(BaseModel):
    address_id: str
    kind: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    line: str
    masked: bool = True


class DeadlineOut(BaseModel):
    due_on: date | None = None
    rule: str | None = None
    escalate_at: datetime
    escalated_at: datetime | None = None


class PlanSlotOut(BaseModel):
    day: date
    team_id: str | None = None
    agent_ids: list[str]
    band: str | None = None
    slot_start: datetime | None = None
    slot_end: datetime | None = None
    seq: int | None = None


class DecisionOut(BaseModel):
    role: str
    decision: str
    decided_by: str
    text: str
    decided_at: datetime


class PromiseOut(BaseModel):
    amount: Decimal
    due_on: date


class RecordOut(BaseModel):
    agent_ids: list[str]
    arrived_at: datetime
    left_at: datetime
    address_verified: bool
    met: list[str]
    outcome: str
    promise_amount: Decimal | None = None
    promise_due_on: date | None = None
    new_address: dict[str, Any] | None = None
    new_phone_masked: str | None = None
    next_step: str
    note: str | None = None
    recorded_by: str
    recorded_at: datetime


class EvidenceOut(BaseModel):
    evidence_id: str
    visit_id: str
    kind: EvidenceKind
    sha256: str
    size: int
    content_type: str
    stored_at: datetime
    retain_until: datetime
    locked: bool
    uploaded_by: str


class RefusalOut(BaseModel):
    refusal_id: int
    visit_id: str
    case_id: str
    stage: str
    decided_at: datetime
    visit_at: datetime
    decided_by: str
    reasons: list[dict[str, Any]]
    policy_fingerprint: str | None = None


class VisitOut(BaseModel):
    visit_id: str
    case_id: str
    client_id: str
    requested_by: str
    purpose: Purpose
    reason: str
    address: AddressOut
    state: str
    requested_at: datetime
    approved_at: datetime | None = None
    deadline: DeadlineOut | None = None
    plan: PlanSlotOut | None = None
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    cancel_reason: str | None = None
    closed_at: datetime | None = None
    collector_id: str | None = None


class VisitDetail(VisitOut):
    approvals: list[DecisionOut] = []
    rejection: DecisionOut | None = None
    record: RecordOut | None = None
    evidence: list[EvidenceOut] = []
    refusals: list[RefusalOut] = []


class VisitPage(BaseModel):
    items: list[VisitOut]
    next_cursor: str | None = None


class RefusalPage(BaseModel):
    items: list[RefusalOut]
    next_cursor: str | None = None


class PlanRunOut(BaseModel):
    day: date
    run_id: int
    planned: int
    not_planned: int
    teams: int


class AreaRunOut(BaseModel):
    province: str | None = None
    city: str | None = None
    district: str | None = None
    visit_ids: list[str]


class TeamPlanOut(BaseModel):
    team_id: str
    name: str | None = None
    visits: list[VisitOut]
    areas: list[AreaRunOut]


class NotPlannedOut(BaseModel):
    visit_id: str
    case_id: str
    reason: str
    details: list[str]
    due_on: date | None = None
    state: str
    address_kind: str
    province: str | None = None
    city: str | None = None
    district: str | None = None


class RunOut(BaseModel):
    run_id: int
    run_at: datetime
    run_by: str
    planned: int
    not_planned: int
    teams: int


class DayPlanOut(BaseModel):
    day: date
    run: RunOut | None = None
    teams: list[TeamPlanOut]
    not_planned: list[NotPlannedOut]


class MyVisitOut(BaseModel):
    """One stop of an agent's day: compact, for a phone-sized screen."""
    seq: int | None = None
    visit_id: str
    state: str
    band: str | None = None
    slot_start: datetime | None = None
    slot_end: datetime | None = None
    address: AddressOut
    purpose: Purpose
    reason: str
    due_on: date | None = None
    debtor_name: str | None = None
    special_population: bool = False
    agent_ids: list[str]
    arrived_at: datetime | None = None
    left_at: datetime | None = None


class MyDayOut(BaseModel):
    day: date
    agent_id: str
    team: str | None = None
    visits: list[MyVisitOut]


class CoverageOut(BaseModel):
    province: str
    city: str | None = None
    district: str | None = None


class TeamOut(BaseModel):
    team_id: str
    name: str
    capacity: int | None = None
    active: bool
    agents: int
    coverage: list[CoverageOut]


class TeamPage(BaseModel):
    items: list[TeamOut]
    next_cursor: str | None = None


class AgentOut(BaseModel):
    agent_id: str
    name: str
    team_id: str | None = None
    active: bool


class AgentPage(BaseModel):
    items: list[AgentOut]
    next_cursor: str | None = None


class OffDutyOut(BaseModel):
    agent_id: str
    day: date
    off_duty: bool
    reason: str | None = None


class CaseAddressOut(BaseModel):
    address_id: str
    kind: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    line: str
    employer: str | None = None
    verified: bool
    source: str
    found_on: date


class PolicyValueOut(BaseModel):
    key: str
    value: Any = None
    level: str
    scope: str | None = None
    version: int | None = None
    preset: str | None = None


class VisitPolicyOut(BaseModel):
    case_id: str
    fingerprint: str
    zones: list[str]
    special_population: str | None = None
    values: list[PolicyValueOut]
