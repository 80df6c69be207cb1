"""Telephony, inbound lookup, disputes, complaints, claimed payments, configuration, quality flags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from .common import In, Money, Note, ShortText

# --- telephony (R-19) ---------------------------------------------------------------------------


class DialIn(In):
    point_id: UUID
    callback_requested_at: datetime | None = Field(
        default=None, description="the debtor asked for this call-back then (R-15 exemption)")


class DialOut(BaseModel):
    call_id: UUID
    attempt_id: UUID
    state: str
    point_id: UUID
    number_masked: str | None
    notices: list[dict[str, Any]]
    zones: list[str]


class RecordingIn(BaseModel):
    uri: str = Field(min_length=1, max_length=500)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0, le=10**12)


class CdrIn(BaseModel):
    """What the PBX reports when a call ends (signed: X-Recoup-Timestamp / X-Recoup-Signature)."""
    call_id: UUID
    answered: bool
    ring_seconds: int = Field(ge=0, le=86_400)
    talk_seconds: int = Field(ge=0, le=86_400)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    hangup_cause: str | None = Field(default=None, max_length=64)
    recording: RecordingIn | None = None


class CdrOut(BaseModel):
    call_id: UUID
    status: str                   # recorded | duplicate
    retain_until: date | None = None
    same_body: bool | None = None


# --- inbound lookup (R-25) ----------------------------------------------------------------------

class LookupIn(In):
    """Exactly one of them, in the body (never in a URL)."""
    phone: str | None = Field(default=None, max_length=40)
    card: str | None = Field(default=None, max_length=40)
    id_number: str | None = Field(default=None, max_length=40)


class LookupHit(BaseModel):
    case_id: str
    client_id: str
    account_masked: str | None
    debtor_name: str | None
    status: str
    in_worklist: bool
    owner_id: str | None
    team_id: str | None
    mine: bool
    may_read: bool
    outstanding: Decimal | None = None
    currency: str | None = None
    contact_status: str | None = None
    next_follow_up: date | None = None


class LookupOut(BaseModel):
    matched_by: str
    cases: list[LookupHit]


# --- disputes and complaints (R-17, R-47) -------------------------------------------------------

class DisputeOut(BaseModel):
    dispute_id: UUID
    case_id: str
    client_id: str
    reason: str
    raised_by: str
    raised_at: datetime
    state: str
    instructed_at: datetime | None = None
    instructed_by: str | None = None
    instruction_note: str | None = None
    account_masked: str | None = None
    outstanding: Decimal | None = None
    currency: str | None = None


class DisputePage(BaseModel):
    items: list[DisputeOut]
    next_cursor: str | None = None


class InstructionIn(In):
    action: Literal["resume", "withdraw"]
    note: Note | None = None


class ComplaintIn(In):
    channel: Literal["debtor", "client", "regulator", "police", "media"]
    allegations: list[Literal["rudeness", "insult", "threat", "violence", "impersonation", "third_party_disclosure",
                              "out_of_hours", "too_frequent", "unauthorised_waiver", "payment_to_collector",
                              "debt_disputed", "other"]] = Field(min_length=1, max_length=12)
    calmed: bool
    client_pursues: bool = False
    description: Note | None = None


class ComplaintOut(BaseModel):
    complaint_id: UUID
    case_id: str
    client_id: str
    channel: str
    allegations: list[str]
    grade: str
    description: str | None
    escalate_to: str | None
    escalate_by: datetime | None
    held: bool
    pause_requested: bool
    notify_client: bool
    recorded_by: str
    recorded_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None


class ComplaintPage(BaseModel):
    items: list[ComplaintOut]
    next_cursor: str | None = None


class ResolveIn(In):
    resolution: str = Field(min_length=1, max_length=2000)
    release_hold: bool = True


# --- claimed payments (待银行对账) ----------------------------------------------------------------

class ClaimIn(In):
    amount: Money
    paid_on: date
    channel: ShortText | None = None
    proof_ref: ShortText | None = None
    note: Note | None = None


class ClaimOut(BaseModel):
    claim_id: UUID
    case_id: str
    client_id: str
    collector_id: str
    amount: Decimal
    paid_on: date
    channel: str | None
    proof_ref: str | None
    note: str | None
    state: str
    txn_ref: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    next_cursor: str | None = None


class ClaimDecisionIn(In):
    decision: Literal["confirm", "reject"]
    note: Note | None = None
    txn_ref: ShortText | None = Field(default=None, description="the bank's reference, when confirmed")


# --- configuration -------------------------------------------------------------------------------

class CodeTableIn(In):
    effective_from: date
    codes: list[dict[str, Any]] = Field(min_length=1, max_length=500)


class AgentLineIn(In):
    extension: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z*#+_.\-]+$")


class QualityFlag(BaseModel):
    flag_id: UUID
    kind: str
    case_id: str
    call_id: UUID | None
    record_id: UUID | None
    collector_id: str | None
    detail: dict[str, Any]
    created_at: datetime


class QualityPage(BaseModel):
    items: list[QualityFlag]
    next_cursor: str | None = None
