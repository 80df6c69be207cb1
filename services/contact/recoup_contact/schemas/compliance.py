"""Contact-policy levels, their explanation, holds, evaluation, quality inspection (R-14..R-18, R-48)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field

from .common import In, Note

Reason = Field(min_length=1, max_length=500, description="why (kept with the version: the audit trail)")


class LevelIn(In):
    values: dict[str, Any] = Field(description="the level's values, nested or dotted (recoup_shared.compliance "
                                               "keys), e.g. {\"windows\": {\"mon\": [\"09:00-21:00\"]}} or "
                                               "{\"preset\": \"us_regf\"}")
    reason: str = Reason


class CaseLevelIn(In):
    set: dict[str, Any] = Field(default_factory=dict, description="keys to set, e.g. the debtor's windows: "
                                "{\"debtor_windows\": {\"sat\": [\"10:00-12:00\"]}}")
    unset: list[str] = Field(default_factory=list, max_length=200, description="dotted keys back to inheritance")
    reason: str = Reason


class LevelOut(BaseModel):
    level: str
    scope_id: str | None
    version: int
    values: dict[str, Any]
    changed_by: str | None
    changed_at: datetime | None
    reason: str | None


class LevelPage(BaseModel):
    items: list[LevelOut]


class ExplainedValue(BaseModel):
    key: str
    value: Any
    level: str = Field(description="default | system | client | placement | case")
    scope: str | None
    version: int | None
    preset: str | None
    source: str | None = Field(description="at the case level: case_level | client_flag | contact_point")


class CasePolicyOut(BaseModel):
    case_id: str
    fingerprint: str
    values: list[ExplainedValue]
    levels: list[dict[str, Any]]
    zones: dict[str, Any]


class HoldIn(In):
    kind: Literal["dispute", "fraud_claim", "stolen_card", "do_not_contact", "serious_complaint",
                  "deceased_pending_evidence"]
    note: str | None = Field(default=None, max_length=500)


class LiftIn(In):
    note: str | None = Field(default=None, max_length=500)


class EvaluateIn(In):
    case_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")
    channel: Literal["call", "sms", "visit"] = "call"
    party: Literal["debtor", "third_party"] | None = None
    point_id: UUID | None = None
    at: AwareDatetime | None = Field(default=None, description="the moment to decide for (default: now)")
    callback_requested_at: AwareDatetime | None = Field(default=None, description="R-15: the debtor asked then")


class DecisionOut(BaseModel):
    case_id: str
    channel: str
    point_id: UUID | None
    party: str
    allowed: bool
    at: datetime
    reasons: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    next_allowed: datetime | None
    exemption: str | None
    zones: list[str]
    policy_fingerprint: str


# --- quality inspection (R-48) ------------------------------------------------------------------

class QueueIn(In):
    record_id: UUID


class FindingIn(In):
    kind: Literal["record_mismatch", "third_party_disclosure", "abusive_language", "impersonation",
                  "unauthorised_waiver", "other"]
    note: str | None = Field(default=None, max_length=2000)


class VerdictIn(In):
    verdict: Literal["passed", "failed"]
    findings: list[FindingIn] = Field(default_factory=list, max_length=20)
    note: Note | None = None


class ItemOut(BaseModel):
    item_id: UUID
    week_start: date
    source: str
    record_id: UUID | None
    call_id: UUID | None
    flag_id: UUID | None
    case_id: str
    collector_id: str
    occurred_at: datetime
    recheck: dict[str, Any] | None
    state: str
    inspector_id: str | None
    inspected_at: datetime | None
    note: str | None
    created_at: datetime
    result: str | None = None
    code: str | None = None
    channel: str | None = None
    party: str | None = None
    notes: str | None = None
    recording_uri: str | None = None
    answered: bool | None = None
    talk_seconds: int | None = None
    findings: list[dict[str, Any]] = []


class ItemPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None


class CollectorViolationsOut(BaseModel):
    collector_id: str
    total: int
    findings: dict[str, int]
    refusals: dict[str, int]
    refused_attempts: int
    mismatches: dict[str, int]


class ViolationsOut(BaseModel):
    month: str
    collectors: list[CollectorViolationsOut]
