"""The contact form (催记录入) and its answer; corrections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from recoup_shared.vocabulary import ContactStatus

from .common import In, Money, Note, ShortText

PhoneKind = Literal["mobile", "home", "work", "other"]
PartyIn = Literal["debtor", "contact_person", "third_party"]
Relationship = Literal["self", "spouse", "parent", "child", "sibling", "relative", "colleague", "friend",
                       "employer", "village_committee", "other"]
ResultIn = Literal["connected", "callback_requested", "do_not_call_requested", "no_answer", "busy",
                   "switched_off", "empty_number", "suspended", "wrong_party", "refused", "hung_up",
                   "sms_sent", "sms_failed"]


class InstalmentIn(In):
    amount: Money
    due_on: date


class PromiseIn(In):
    """A single promise (amount + due_on) or an instalment plan (instalments)."""
    amount: Money | None = None
    due_on: date | None = None
    instalments: list[InstalmentIn] = Field(default_factory=list, max_length=60)
    settlement: bool = False
    waiver_authorisation: str | None = Field(default=None, max_length=64,
                                             description="R-49: the client's authorisation of a waiver")


class PhoneFoundIn(In):
    number: str = Field(min_length=3, max_length=40)
    kind: PhoneKind = "mobile"
    party: PartyIn = "debtor"
    name: str | None = Field(default=None, max_length=50)
    relationship: Relationship | None = None
    knows_debt: bool | None = None


class AddressFoundIn(In):
    kind: Literal["household_registration", "home", "work", "other"] = "home"
    party: PartyIn = "debtor"
    province: str | None = Field(default=None, max_length=50)
    city: str | None = Field(default=None, max_length=50)
    district: str | None = Field(default=None, max_length=50)
    line: str = Field(min_length=1, max_length=200)
    employer: str | None = Field(default=None, max_length=100)


class FoundIn(In):
    """R-25 skip tracing: what this contact revealed."""
    phones: list[PhoneFoundIn] = Field(default_factory=list, max_length=10)
    addresses: list[AddressFoundIn] = Field(default_factory=list, max_length=10)
    employer: str | None = Field(default=None, max_length=100)


class ClaimIn(In):
    """待银行对账: the debtor says this was paid (to the client's official channel, R-49)."""
    amount: Money
    paid_on: date
    channel: ShortText | None = None
    proof_ref: ShortText | None = None
    note: Note | None = None


class RecordIn(In):
    channel: Literal["outbound_call", "inbound_call", "sms"]
    party: PartyIn
    point_id: UUID | None = Field(default=None, description="the phone called or texted (required but inbound)")
    result: ResultIn
    code: str = Field(min_length=1, max_length=32, description="the client's action/result code")
    status: ContactStatus | None = None
    notes: Note = ""
    next_follow_up_on: date | None = Field(default=None, description="within the status's window (R-22)")
    promise: PromiseIn | None = None
    callback_at: datetime | None = None
    dispute_reason: str | None = Field(default=None, max_length=500)
    found: FoundIn | None = None
    claimed_payment: ClaimIn | None = None
    call_id: UUID | None = Field(default=None, description="the click-to-dial call this record belongs to")
    occurred_at: datetime | None = None
    requested_by_debtor: bool = Field(default=False, description="a call-back the debtor asked for (R-15)")
    callback_requested_at: datetime | None = None


class CorrectionIn(RecordIn):
    reason: str = Field(min_length=1, max_length=500)


class RecordOut(BaseModel):
    record_id: UUID
    case_id: str
    status: str | None
    next_follow_up: date | None
    effective: bool
    promise_id: UUID | None = None
    attempt_id: UUID | None = None
    corrects: UUID | None = None
    claim_id: UUID | None = None
    dispute_id: UUID | None = None


class RecordRow(BaseModel):
    record_id: UUID
    case_id: str
    collector_id: str
    channel: str
    party: str
    point_id: UUID | None
    result: str
    code: str | None
    code_version: int | None
    status_after: str | None
    effective: bool
    notes: str | None
    callback_at: datetime | None
    dispute_reason: str | None
    promise_id: UUID | None
    call_id: UUID | None
    next_follow_up_on: date | None
    found: dict | None
    corrects: UUID | None
    correction_reason: str | None
    source: str
    occurred_at: datetime
    occurred_on: date
    recorded_at: datetime


class RecordPage(BaseModel):
    items: list[RecordRow]
    next_cursor: str | None = None


class PointsIn(In):
    """Skip-trace findings outside a conversation (R-25)."""
    phones: list[PhoneFoundIn] = Field(default_factory=list, max_length=20)
    addresses: list[AddressFoundIn] = Field(default_factory=list, max_length=20)
    employer: str | None = Field(default=None, max_length=100)


class PointChangeIn(In):
    state: Literal["unknown", "valid", "wrong_party", "empty_number", "suspended", "switched_off",
                   "do_not_call"] | None = None
    knows_debt: bool | None = None

