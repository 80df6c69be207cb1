"""Typed payloads of every topic in contracts.md §2.

Producers build these; consumers validate `envelope.payload` with them. Full ID and card numbers
never appear: only masked values plus blind-index hashes (`*_hash`). Phones and addresses travel
in full because contact, letters and fieldops must use them (architecture.md, data minimisation).
Fields are only ever added, as optional (contracts.md); unknown fields are ignored.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from . import topics


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PhoneOut(_Payload):
    number: str
    number_masked: str
    number_hash: str
    kind: str                       # mobile | home | work | other
    owner: str = "debtor"           # debtor | contact
    name: str | None = None
    relationship: str | None = None
    knows_debt: bool | None = None  # contacts who do not know are told nothing
    extension: str | None = None    # 分机: dial the number, then this extension
    # R-4 (amended): a malformed number is kept as the client sent it, marked invalid, and never
    # dialled (contact, letters, fieldops skip it); skip tracing starts from it.
    valid: bool = True
    invalid_reason: str | None = None
    employer: str | None = None     # the person's employer (a contact's 工作单位, R-21)


class AddressOut(_Payload):
    kind: str                       # household_registration | home | work | other
    province: str | None = None
    city: str | None = None
    district: str | None = None
    line: str
    employer: str | None = None
    verified: bool = False
    postcode: str | None = None     # 邮政编码 where the source gives one (letters: envelopes, manifests)
    owner: str = "debtor"           # debtor | contact: a contact person's address (R-30: never a letter)
    # R-4 (amended): a malformed address (no line, over-long parts) is kept as sent, marked
    # invalid: no letter goes to it, no visit is planned to it.
    valid: bool = True
    invalid_reason: str | None = None
    name: str | None = None         # a contact's address: whose (owner contact)
    relationship: str | None = None


class DebtorOut(_Payload):
    name: str
    id_number_masked: str
    id_hash: str                    # blind index of the ID number: the joint-debt key
    gender: str | None = None
    birth_date: date | None = None


class LastPayment(_Payload):
    on: date
    amount: Decimal


class CaseReceived(_Payload):
    """A case was placed (or re-placed)."""
    placement_id: str
    placement_ref: str
    product: str
    placed_on: date
    recall_on: date
    account_masked: str
    account_hash: str
    debtor: DebtorOut
    currency: str = "CNY"
    principal: Decimal
    interest: Decimal
    fees: Decimal
    placed_amount: Decimal
    dpd: int
    dpd_bucket: str                 # M1..M6+ (domain.md words)
    overdue_since: date | None = None
    last_payment: LastPayment | None = None
    credit_limit: Decimal | None = None
    phones: list[PhoneOut] = []
    addresses: list[AddressOut] = []
    employer: str | None = None
    region: str | None = None       # province/city of the household-registration address
    flags: list[str] = []
    remarks: str | None = None
    joint_case_ids: list[str] = []  # other open cases of the same debtor, any client
    status: str = "open"
    # R-4 (amended): no valid phone of the debtor — skip tracing (信息修复) starts at once.
    skip_trace: bool = False
    # client-specific fields a template maps (`extra.<name>`: text, amount as a decimal
    # string, date as YYYY-MM-DD) — shown in contact's case detail, never used in rules.
    extra: dict[str, str | int | float | bool] = {}


class CaseUpdated(_Payload):
    """Client changed balance/contacts, recalled, moved the placement's recall date, or the case
    closed (R-5, R-13)."""
    change: Literal["balance", "contacts", "recall", "closed", "flags", "reopened", "recall_extended"]
    status: str                     # open | recalled | closed
    placed_amount: Decimal | None = None
    principal: Decimal | None = None
    interest: Decimal | None = None
    fees: Decimal | None = None
    outstanding: Decimal | None = None
    phones_added: list[PhoneOut] = []
    addresses_added: list[AddressOut] = []
    flags: list[str] | None = None
    reason: str | None = None
    effective_on: date | None = None
    skip_trace: bool | None = None  # contacts: set when the debtor's valid phones changed it
    # recall_extended: the client moved its placement's recall date later; one event per case
    # of the placement, the status as it is (unchanged by the extension)
    recall_on: date | None = None
    placement_id: str | None = None


class PaymentPosted(_Payload):
    account_masked: str
    amount: Decimal
    paid_at: datetime
    txn_ref: str
    channel: str | None = None
    repaid_total: Decimal           # all repayments recorded for the case so far
    outstanding: Decimal            # placed amount (after updates) minus repaid_total, never < 0
    closes_case: bool = False       # fully repaid -> closed automatically


class CaseAllocated(_Payload):
    collector_id: str
    team_id: str | None = None
    strategy: str
    reason: Literal["allocation", "rotation", "manual", "reassignment"] = "allocation"
    previous_collector_id: str | None = None
    plan_id: str | None = None
    allocated_at: datetime
    first_contact_due: date         # 2-3 working days after allocation


class CasePaused(_Payload):
    """A case was paused (暂停, R-13): by staff, or by a client flag the agency pauses on
    (RECOUP_PAUSE_ON_FLAGS, R-17). It leaves every worklist and allocation until resumed; the
    owner it had is released."""
    source: Literal["staff", "flag"]
    paused_by: str                  # who: the staff member's sub, or "client" for a flag
    reason: str                     # why
    paused_at: datetime
    released_collector_id: str | None = None   # the owner released (None: it had none)
    released_team_id: str | None = None


class CaseResumed(_Payload):
    """A paused case was resumed (恢复, R-13): by staff, or because the client lifted the flag.
    Back to its previous owner (`collector_id`, and a case.allocated with reason reassignment
    follows) or to the pool (`collector_id` None: allocation will give it an owner)."""
    source: Literal["staff", "flag"]
    resumed_by: str                 # who: the staff member's sub, or "client" for a flag
    reason: str                     # why
    resumed_at: datetime
    collector_id: str | None = None  # the owner restored (None: back to the pool)
    team_id: str | None = None


class Ptp(_Payload):
    amount: Decimal
    due_on: date


class PromiseOutcomeOut(_Payload):
    """R-23: a promise (or one instalment of a plan) judged kept or broken."""
    promise_id: str
    instalment: int | None = None   # None: the promise as a whole (or the whole plan)
    outcome: Literal["kept", "broken"]
    on: date                        # kept: the day of the completing repayment; broken: the day after the deadline
    promised: Decimal
    paid: Decimal


class ContactLogged(_Payload):
    """Every contact record (calls, SMS, corrections) and every promise outcome (contact service).

    Optional additions (contact service, issue 9): `record_kind` says what the event is; a
    `correction` replaces the record named by `corrects` (count the original once); a
    `promise_outcome` is no contact at all (channel "other", party "none", result "ptp_kept" /
    "ptp_broken") — counters of contacts skip it, PTP-kept rates read `promise_outcome`."""
    contact_id: str
    collector_id: str
    channel: Literal["call", "sms", "visit", "letter", "inbound_call", "wechat", "other"]
    party: Literal["debtor", "contact", "third_party", "none"] = "debtor"
    result: str                     # connected | no_answer | busy | wrong_number | ...
    effective: bool = False         # a connected, effective contact
    status: str | None = None       # R-22 status after this contact
    ptp: Ptp | None = None
    instalments: list[Ptp] = []
    next_follow_up_on: date | None = None
    phones_found: list[PhoneOut] = []
    addresses_found: list[AddressOut] = []
    occurred_at: datetime
    record_kind: Literal["contact", "correction", "promise_outcome"] | None = None
    corrects: str | None = None
    code: str | None = None            # the client's action/result code (its code table version below)
    code_version: int | None = None
    call_id: str | None = None         # the telephony call the record belongs to
    promise_id: str | None = None
    promise_outcome: PromiseOutcomeOut | None = None
    team_id: str | None = None
    employer_found: str | None = None


class LetterDispatched(_Payload):
    letter_id: str
    letter_type: str
    template_id: str
    template_version: int
    address_kind: str
    mail_class: Literal["registered", "express"] = "registered"
    tracking_no: str | None = None
    check_code: str
    dispatched_at: datetime
    batch_id: str | None = None
    recipient_role: str | None = None   # debtor | guarantor
    address: AddressOut | None = None   # the address the letter went to
    resend_of: str | None = None        # the returned letter this one re-sends


class LetterReturned(_Payload):
    letter_id: str
    return_reason: str                  # address_unknown | no_such_person | refused | moved | unclaimed | deceased | other
    returned_at: datetime
    letter_type: str | None = None
    tracking_no: str | None = None
    address: AddressOut | None = None   # the address the letter came back from
    address_invalidated: bool | None = None   # it is no longer used for letters


class VisitCompleted(_Payload):
    """A visit was recorded (R-37); what contact needs the same day (R-38) and letters (new address)."""
    visit_id: str
    agent_ids: list[str]
    visited_at: datetime
    address_verified: bool
    met: list[str] = []
    outcome: str
    ptp: Ptp | None = None
    evidence: list[dict] = []       # {"ref", "sha256", "kind"}
    next_step: str | None = None
    # optional additions (fieldops service, issue 12)
    collector_id: str | None = None         # the case's phone collector (whose worklist changes)
    status: str | None = None               # R-22 status after the visit: FIELD_VISIT_DONE
    result: str | None = None               # visit_met | visit_not_met | visit_address_invalid
    left_at: datetime | None = None
    visited_on: date | None = None          # the debtor-local day of the visit
    address_kind: str | None = None         # the kind of the visited (target) address
    addresses_found: list[AddressOut] = []  # a new address learned at the door
    phones_found: list[PhoneOut] = []       # a new phone learned at the door
    address: AddressOut | None = None   # the address visited: with address_verified, a verified one


class VisitRequested(_Payload):
    """A phone collector asked for a field visit (R-34)."""
    visit_id: str
    collector_id: str
    purpose: str                    # verify_address | press_for_payment | deliver_notice
    reason: str
    address_kind: str               # the target address chosen from the case's addresses
    requested_at: datetime


class VisitApproved(_Payload):
    """Both approvals given (field manager and phone manager); the R-35 deadline is set."""
    visit_id: str
    collector_id: str
    approved_by: list[str]
    deadline_on: date
    escalate_at: datetime | None = None
    approved_at: datetime


class VisitRejected(_Payload):
    visit_id: str
    collector_id: str
    rejected_by: str
    reason: str
    rejected_at: datetime


class VisitPlanned(_Payload):
    """The visit is in a team's daily plan (R-34, R-36)."""
    visit_id: str
    team_id: str
    planned_on: date
    agent_ids: list[str]
    band: str | None = None         # e.g. "09:00-12:00"
    # optional additions (fieldops service, issue 12)
    collector_id: str | None = None
    slot_start: datetime | None = None
    slot_end: datetime | None = None


class VisitCancelled(_Payload):
    """A visit that had not started was cancelled (R-34: the requester withdrew it or a manager
    cancelled it; R-13: the case left collection — closed, recalled). Contact shows it on the case's
    timeline."""
    visit_id: str
    collector_id: str               # who asked for the visit
    previous_state: str             # requested | approved | planned
    reason: str
    cancelled_by: str | None = None     # None: the case left collection (no one cancelled it by hand)
    cancelled_at: datetime


class PolicyChanged(_Payload):
    """A contact-policy version took effect at one level (compliance, R-14..R-18). The envelope's
    case_id is the case for a case level, else "<level>:<scope_id>" (the Kafka key)."""
    level: Literal["system", "client", "placement", "case"]
    scope_id: str | None = None     # client id, placement id or case id; None for system
    version: int
    values: dict                    # the level's values as stored (recoup_shared.compliance)
    effective: dict | None = None   # the full effective values at a case level
    changed_by: str
    changed_at: datetime


class CasePauseRequested(_Payload):
    """The contact service asks allocation to pause a case (R-47: a serious complaint, where the
    client's contact configuration says so). Allocation pauses it and answers with case.paused."""
    requested_by: str
    reason: str                      # serious_complaint
    complaint_id: str | None = None
    requested_at: datetime


class SmsSent(_Payload):
    """A text the letters service sent (R-27 approved wording, through the compliance engine): the
    provider accepted it. The contact service counts it in the case's attempt history (channel sms:
    its own SMS caps, R-15) and shows it on the timeline; it does not echo it on contact.logged, so
    letters (which counts contact's texts from contact.logged channel sms) never counts it twice."""
    sms_id: str
    template_id: str
    template_version: int
    purpose: str | None = None          # the SMS template's name (its purpose)
    number_masked: str                  # the debtor's mobile, masked
    number_hash: str                    # its blind index: the same hash in every service
    sent_at: datetime                   # the moment the provider accepted it (the attempt)
    provider: str | None = None
    provider_status: str | None = None  # the provider's answer code
    provider_message_id: str | None = None
    requested_by: str | None = None     # the letters clerk who asked for it


PAYLOADS: dict[str, type[_Payload]] = {
    topics.CASE_RECEIVED: CaseReceived,
    topics.CASE_UPDATED: CaseUpdated,
    topics.CASE_ALLOCATED: CaseAllocated,
    topics.CONTACT_LOGGED: ContactLogged,
    topics.PAYMENT_POSTED: PaymentPosted,
    topics.LETTER_DISPATCHED: LetterDispatched,
    topics.LETTER_RETURNED: LetterReturned,
    topics.VISIT_COMPLETED: VisitCompleted,
    topics.CASE_PAUSED: CasePaused,
    topics.CASE_RESUMED: CaseResumed,
    topics.VISIT_REQUESTED: VisitRequested,
    topics.VISIT_APPROVED: VisitApproved,
    topics.VISIT_REJECTED: VisitRejected,
    topics.VISIT_PLANNED: VisitPlanned,
    topics.POLICY_CHANGED: PolicyChanged,
    topics.CASE_PAUSE_REQUESTED: CasePauseRequested,
    topics.SMS_SENT: SmsSent,
    topics.VISIT_CANCELLED: VisitCancelled,
}

EVENT_TYPE_OF: dict[type[_Payload], str] = {model: name for name, model in PAYLOADS.items()}
