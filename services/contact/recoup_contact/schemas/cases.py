"""Worklist (员工个人案件), the collector's home page and the case page (案件详情)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from .common import Totals


class Reminder(BaseModel):
    kind: str                     # new_repayment | balance_update | visit_outcome | returned_letter | recall_soon
    since: datetime | None = None
    days_left: int | None = None


class WorklistRow(BaseModel):
    case_id: str
    client_id: str
    debtor_name: str | None
    account_masked: str | None
    currency: str
    placed_amount: Decimal
    outstanding: Decimal
    repaid_total: Decimal
    dpd: int
    dpd_bucket: str
    flags: list[str]
    recall_on: date | None
    owner_id: str | None
    team_id: str | None
    status: str | None
    next_follow_up: date | None
    follow_up_window: str | None
    cadence_due: date | None
    overdue: bool
    days_overdue: int
    days_since_follow_up: int | None
    days_since_effective: int | None
    last_contact_at: datetime | None
    never_contacted: bool
    colour: str                   # green | yellow | red | black | grey
    ptp_due_on: date | None
    ptp_amount: Decimal | None
    reminders: list[Reminder]
    joint_case_ids: list[str]
    callable: Decision | None = Field(default=None, description="may the debtor be called now (the gate), else "
                                                                "next_allowed and the reasons")


class WorklistPage(BaseModel):
    items: list[WorklistRow]
    next_cursor: str | None = None
    totals: Totals | None = None


class MonthRecovered(BaseModel):
    month: str
    recovered: Decimal
    repayments: int


class PtpDue(BaseModel):
    cases: int
    amount: Decimal


class Home(BaseModel):
    collector_id: str
    today: date
    recovered_by_month: list[MonthRecovered]
    worklist: Totals
    due_today: int
    overdue: int
    never_contacted: int
    ptp_due: PtpDue


class Decision(BaseModel):
    allowed: bool
    next_allowed: datetime | None
    reasons: list[dict[str, Any]]
    notices: list[dict[str, Any]]


class ContactPointOut(BaseModel):
    point_id: UUID
    kind: str
    party: str
    relationship: str | None
    name: str | None
    knows_debt: bool | None
    source: str
    state: str
    number_masked: str | None
    extension: str | None
    region: str | None
    carrier: str | None
    address_kind: str | None
    province: str | None
    city: str | None
    district: str | None
    line_masked: str | None
    employer: str | None
    verified: bool
    last_result: str | None
    last_attempt_at: datetime | None
    attempts: int
    added_at: datetime
    callable: Decision | None = None


class Instalment(BaseModel):
    seq: int
    due_on: date
    amount: Decimal
    paid: Decimal
    state: str
    settled_on: date | None = None


class PromiseOut(BaseModel):
    promise_id: UUID
    state: str
    made_on: date
    amount: Decimal
    collector_id: str
    record_id: UUID | None
    settlement: bool
    settled_on: date | None
    instalments: list[Instalment]


class TimelineEntry(BaseModel):
    id: int
    at: datetime
    kind: str
    actor: str | None
    ref: str | None
    data: dict[str, Any]


class TimelinePage(BaseModel):
    items: list[TimelineEntry]
    next_cursor: str | None = None


class CaseDetail(WorklistRow):
    placement_id: str | None
    placement_ref: str | None
    product: str | None
    id_masked: str | None
    gender: str | None
    placed_on: date | None
    region: str | None
    zone: str
    employer: str | None
    remarks: str | None
    case_status: str                 # intake's: open | recalled | closed
    paused: bool
    withdrawn: bool
    allocated_at: datetime | None
    first_contact_due: date | None
    follow_up_earliest: date | None
    follow_up_latest: date | None
    follow_up_avoid: str | None
    cadence_rule: str | None
    last_effective_on: date | None
    last_follow_up_on: date | None
    may_act: bool
    contact_points: list[ContactPointOut]
    promises: list[PromiseOut]
    joint_cases: list[dict[str, Any]]
    holds: list[dict[str, Any]]
    dispute: dict[str, Any] | None
    complaints: list[dict[str, Any]]
    claimed_payments: list[dict[str, Any]]
    calls: list[dict[str, Any]]
    timeline: list[TimelineEntry]


class Seen(BaseModel):
    case_id: str
    seen_at: datetime | None
