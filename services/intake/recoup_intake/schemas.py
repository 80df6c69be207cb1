"""Request and response shapes of the intake API (contracts.md §1), for the OpenAPI document.

Request bodies are NOT parsed with these models: the top level is read leniently and the rows are
judged one by one by the rules (a bad row must not fail the batch, R-4). These models describe
what a client sends and receives. Money is a decimal string in answers (never a float).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .rules.templates import TemplateDefinition

Money = Decimal | str


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- placements ---------------------------------------------------------------------------------

class DebtorIn(_In):
    name: str = Field(examples=["张伟"])
    id_number: str = Field(description="18 characters (GB 11643) or the old 15-digit form",
                           examples=["410105198703150030"])
    gender: Literal["M", "F"] | None = None
    birth_date: date | None = None


class PhoneIn(_In):
    number: str = Field(examples=["13800138000", "0371-65432100"],
                        description="a malformed number is kept, marked invalid, with a warning (R-4)")
    kind: Literal["mobile", "home", "work", "other"]
    owner: Literal["debtor", "contact"] = "debtor"
    name: str | None = Field(None, description="required for a contact (else the phone is kept invalid)")
    relationship: str | None = Field(None, description="required for a contact", examples=["spouse"])
    knows_debt: bool | None = None
    employer: str | None = Field(None, description="the person's employer (a contact's 工作单位)")


class AddressIn(_In):
    kind: Literal["household_registration", "home", "work", "other"]
    province: str | None = None
    city: str | None = None
    district: str | None = None
    line: str = Field(description="a missing or over-long line is kept invalid, with a warning (R-4)")
    employer: str | None = None
    owner: Literal["debtor", "contact"] = Field("debtor", description="a contact person's address: contact")
    name: str | None = Field(None, description="whose address (a contact's name)")
    relationship: str | None = None


class LastPaymentIn(_In):
    on: date
    amount: Money


class CaseIn(_In):
    account_ref: str = Field(description="card or account number (a string)", examples=["6222020200112233446"])
    product: str | None = Field(None, description="overrides the placement's product for this case")
    debtor: DebtorIn
    currency: str = "CNY"
    principal: Money | None = None
    interest: Money | None = None
    fees: Money | None = None
    placed_amount: Money | None = Field(None, description="委案金额; the stated total wins over the parts (flagged)")
    dpd: int | None = Field(None, description="days past due; give dpd or overdue_since")
    overdue_since: date | None = None
    last_payment: LastPaymentIn | None = None
    credit_limit: Money | None = None
    phones: list[PhoneIn] = []
    addresses: list[AddressIn] = []
    employer: str | None = None
    flags: list[Literal["complaint_history", "dispute", "fraud_claim", "stolen_card", "do_not_contact",
                        "special_population"]] = []
    remarks: str | None = None
    extra: dict[str, str | int | float | bool] | None = Field(
        None, description="client-specific fields (申请号, 合同编号, ...): kept on the case, shown to collectors",
        examples=[{"申请号": "AP-20261120-0001", "逾期金额": "13830.50"}])


class PlacementIn(_In):
    placement_ref: str = Field(description="the client's own batch reference (idempotency key, R-1)",
                               examples=["ZHBANK-HN-202611-001"])
    product: str = Field(examples=["credit_card"])
    placed_on: date
    recall_on: date | None = Field(None, description="defaults to placed_on + 3 months")
    cases: list[CaseIn] = Field(description="at most IntakeSettings.max_cases_per_placement (default 200,000)")


class RowErrorOut(BaseModel):
    row: int | None = Field(description="0-based index into `cases` (uploads: the file's row number)")
    field: str = Field(examples=["cases[3].debtor.id_number"])
    reason: str


class PlacementAccepted(BaseModel):
    placement_id: str
    placement_ref: str
    received: int
    accepted: int
    rejected: int
    warned: int = Field(0, description="accepted rows with warnings (R-4)")
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut] = Field(
        [], description="accepted rows' warnings: a malformed phone or address kept invalid (never dialled or "
                        "written to), no valid debtor phone (skip tracing), the stated total kept (R-4); "
                        "uploads: file-level notes too (row 0 or the header row)")


class SlaOut(BaseModel):
    import_target_seconds: int
    import_max_seconds: int
    import_within_target: bool
    import_within_max: bool


class TimingsOut(BaseModel):
    received_at: datetime
    imported_at: datetime
    published_at: datetime | None
    seconds_to_import: float
    seconds_to_publish: float | None
    sla: SlaOut


class PlacementCountsOut(BaseModel):
    received: int
    accepted: int
    rejected: int
    warned: int = Field(0, description="accepted rows with warnings (R-4)")
    cases: dict[str, int] = Field(description="accepted cases by current status: open, recalled, closed")


class RejectedPage(BaseModel):
    items: list[RowErrorOut]
    next_cursor: str | None = Field(description="pass as errors_cursor (warnings: warnings_cursor) for the next page")


class PlacementRecallOut(BaseModel):
    recall_on: date
    effective_recall_on: date = Field(description="the business day the open cases are recalled (R-5)")
    non_working_day_rule: Literal["on_day", "next_working_day"]
    recalled_at: datetime | None = Field(description="when the recall job recalled the placement's open cases")
    recalled_cases: int | None
    extensions: list[dict[str, Any]] = Field(description="each extension of the recall date by the client")


class PlacementStatusOut(BaseModel):
    placement_id: str
    placement_ref: str
    client_id: str
    product: str
    placed_on: date
    recall_on: date
    source: str
    template: dict[str, Any] | None
    status: Literal["imported", "published"]
    counts: PlacementCountsOut
    timings: TimingsOut
    rejected_rows: RejectedPage
    warnings: RejectedPage = Field(description="the accepted rows' warnings (R-4); next page: warnings_cursor")
    recall: PlacementRecallOut = Field(description="the placement's end (R-5): its recall date and the job's run")


class PlacementCaseOut(BaseModel):
    row: int
    case_id: str
    account_masked: str
    status: Literal["open", "recalled", "closed"]


class PlacementCasesOut(BaseModel):
    placement_ref: str
    items: list[PlacementCaseOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


class PlacementListItem(BaseModel):
    placement_id: str
    placement_ref: str
    product: str
    placed_on: date
    received: int
    accepted: int
    rejected: int
    received_at: datetime
    published_at: datetime | None


class PlacementListOut(BaseModel):
    items: list[PlacementListItem]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


# --- repayments, updates, recalls ---------------------------------------------------------------

class RepaymentIn(_In):
    account_ref: str
    amount: Money = Field(description="> 0, at most two decimals")
    paid_at: str = Field(description="ISO 8601; without an offset it is Asia/Shanghai time",
                         examples=["2026-11-25T10:15:00+08:00"])
    txn_ref: str = Field(description="the client's transaction reference (idempotency key)")
    channel: str | None = Field(None, examples=["bank_transfer"])


class RepaymentsIn(_In):
    repayments: list[RepaymentIn]


class FlaggedOut(BaseModel):
    row: int
    txn_ref: str
    flag: Literal["case_recalled", "case_closed"]


class RepaymentsOut(BaseModel):
    received: int
    recorded: int
    duplicates: int = Field(description="txn_refs already recorded with the same content (nothing written)")
    rejected: int
    closed_cases: int = Field(description="cases fully repaid by this batch (closed automatically, R-5)")
    flagged: list[FlaggedOut]
    errors: list[RowErrorOut]


class UpdateIn(_In):
    account_ref: str
    principal: Money | None = None
    interest: Money | None = None
    fees: Money | None = None
    placed_amount: Money | None = None
    phones: list[PhoneIn] = Field([], description="phones to add")
    addresses: list[AddressIn] = Field([], description="addresses to add")
    flags: list[str] | None = Field(None, description="the case's complete new set of flags")
    remarks: str | None = None
    effective_on: date | None = None


class UpdatesIn(_In):
    updates: list[UpdateIn]


class UpdatesOut(BaseModel):
    received: int
    applied: int
    rejected: int
    closed_cases: int
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut] = Field([], description="applied rows' malformed phones/addresses, kept invalid (R-4)")


class RecallIn(_In):
    account_refs: list[str] | None = Field(None, description="give this or placement_ref")
    placement_ref: str | None = None
    reason: str | None = None
    effective_on: date | None = None


class RecallDateIn(_In):
    recall_on: date = Field(description="the new recall date: later than the current one")
    reason: str | None = Field(None, max_length=500)


class RecallDateOut(BaseModel):
    placement_ref: str
    previous_recall_on: date
    recall_on: date
    effective_recall_on: date
    non_working_day_rule: Literal["on_day", "next_working_day"]


class RecallOut(BaseModel):
    placement_ref: str | None = None
    recalled: int
    not_open: dict[str, int] = Field(description="already recalled / closed: nothing changed")
    rejected: int = 0
    errors: list[RowErrorOut]


# --- templates ----------------------------------------------------------------------------------

class TemplateIn(_In):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[^\s/\\?#%]+$", examples=["cards-v1"])
    description: str | None = Field(None, max_length=500)
    definition: TemplateDefinition = Field(
        description="column header → field path, value conversions, file layout (R-3); the mapping as a whole "
                    "is checked too: the required fields mapped, one column per field")


class TemplateOut(BaseModel):
    client_id: str
    name: str
    version: int
    description: str | None
    created_by: str
    created_at: datetime
    definition: TemplateDefinition | None = None


class TemplateListOut(BaseModel):
    items: list[TemplateOut]


# --- staff reads --------------------------------------------------------------------------------

class CaseSummaryOut(BaseModel):
    case_id: str
    client_id: str
    placement_ref: str
    row: int
    product: str
    account_masked: str
    debtor_name: str
    id_number_masked: str
    gender: str | None
    currency: str
    placed_amount: Decimal
    repaid_total: Decimal
    outstanding: Decimal
    dpd: int
    dpd_bucket: str
    status: str
    flags: list[str]
    created_at: datetime
    updated_at: datetime


class CaseSearchOut(BaseModel):
    items: list[CaseSummaryOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")


class CaseSearchIn(_In):
    id_number: str | None = Field(None, max_length=64, description="resident ID number (15 or 18 characters)")
    card_number: str | None = Field(None, max_length=64, description="card or account number")
    phone: str | None = Field(None, max_length=64, description="any phone of the case (R-25 inbound call)")
    client_id: str | None = Field(None, max_length=64)
    placement_ref: str | None = Field(None, max_length=128)
    status: Literal["open", "recalled", "closed"] | None = None
    cursor: str | None = Field(None, max_length=2048, description="opaque: `next_cursor` of the previous page")
    limit: int = Field(100, ge=1, le=1000)


class CaseDetailOut(CaseSummaryOut):
    model_config = ConfigDict(extra="allow")
    placement_id: str
    placed_on: date
    recall_on: date
    principal: Decimal
    interest: Decimal
    fees: Decimal
    phones: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    repayments: list[dict[str, Any]]
    revealed: bool
    skip_trace: bool = Field(False, description="no valid phone of the debtor (R-4): skip tracing")
    extra: dict[str, Any] = Field({}, description="client-specific fields of the case (R-3 template extra.<name>)")
    account_ref: str | None = Field(None, description="only with reveal=true (audit-logged)")
    id_number: str | None = Field(None, description="only with reveal=true (audit-logged)")


class JointLinkOut(BaseModel):
    case_id: str
    client_id: str
    placement_ref: str
    account_masked: str
    debtor_name: str
    placed_amount: Decimal
    repaid_total: Decimal
    outstanding: Decimal
    status: str
    linked_at: datetime | None = Field(description="when intake linked them on import (null: found live)")


class JointOut(BaseModel):
    case_id: str
    links: list[JointLinkOut]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    roles: list[str]
    action: str
    case_id: str | None
    client_id: str | None
    fields: list[str]
    reason: str | None
    correlation_id: str | None
    detail: dict[str, Any]


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page")
