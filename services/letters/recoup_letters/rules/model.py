"""Types of the letters rules (R-26..R-33). Plain frozen dataclasses: the service maps its rows and
events onto them; the rules never read a clock, a database or a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class LetterType(StrEnum):
    NOTICE = "notice"                                    # 报案通知函
    FIRST_REMINDER = "first_reminder"                    # 首次催收函 (R-28, 10 DPD)
    SECOND_REMINDER = "second_reminder"                  # 二次催收函 (20 DPD)
    FINAL_REMINDER = "final_reminder"                    # 最终催收函 (35 DPD)
    LAWYER = "lawyer"                                    # 律师函 (60 DPD)
    CALLBACK_NOTICE = "callback_notice"                  # 回电通知书, no debt details
    INSTALMENT_CONFIRMATION = "instalment_confirmation"  # 分期还款协议确认函


LETTER_TYPE_ZH: dict[LetterType, str] = {
    LetterType.NOTICE: "报案通知函",
    LetterType.FIRST_REMINDER: "首次催收函",
    LetterType.SECOND_REMINDER: "二次催收函",
    LetterType.FINAL_REMINDER: "最终催收函",
    LetterType.LAWYER: "律师函",
    LetterType.CALLBACK_NOTICE: "回电通知书",
    LetterType.INSTALMENT_CONFIRMATION: "分期还款协议确认函",
}

# the only type that may go to an unconfirmed address; it carries no debt details.
DEBT_FREE_TYPES = frozenset({LetterType.CALLBACK_NOTICE})


class MailClass(StrEnum):
    REGISTERED = "registered"   # 挂号信 (R-29 default)
    EXPRESS = "express"         # 特快专递 / courier


MAIL_CLASS_ZH = {MailClass.REGISTERED: "挂号信", MailClass.EXPRESS: "特快专递"}


class PartyRole(StrEnum):
    DEBTOR = "debtor"
    GUARANTOR = "guarantor"     # a letter only if jointly liable (连带责任担保人, R-30)
    CONTACT = "contact"         # 联系人: a third party, never a recipient


class AddressSource(StrEnum):
    CLIENT = "client"           # came with the placement / a client update
    SKIP_TRACE = "skip_trace"   # found by a collector (contact.logged, R-25)
    VISIT = "visit"             # found or verified by a field visit (visit.completed, R-37)


HOUSEHOLD_REGISTRATION = "household_registration"   # 户籍地址 (R-29 first choice)


class LetterStatus(StrEnum):
    PLANNED = "planned"
    GENERATED = "generated"
    APPROVED = "approved"
    DISPATCHED = "dispatched"
    RETURNED = "returned"
    CANCELLED = "cancelled"


PENDING_STATUSES = frozenset({LetterStatus.PLANNED, LetterStatus.GENERATED, LetterStatus.APPROVED})


class BlockReason(StrEnum):
    """Why a case gets no letter now, and why a letter not yet dispatched is cancelled (R-31)."""
    SETTLED = "settled"
    CLOSED = "closed"
    RECALLED = "recalled"
    DISPUTED = "disputed"
    DO_NOT_CONTACT = "do_not_contact"
    PAUSED = "paused"


class SkipReason(StrEnum):
    """Why a due letter is not planned for a recipient (preview counts these)."""
    BLOCKED = "blocked"                      # see the BlockReason in the detail
    NOT_WANTED = "not_wanted"                # the client does not use this letter type
    ALREADY_SENT = "already_sent"            # one letter of a type per recipient per cycle
    LETTER_PENDING = "letter_pending"        # another letter to the recipient not yet dispatched
    NO_ADDRESS = "no_address"                # nothing usable at all
    NO_CONFIRMED_ADDRESS = "no_confirmed_address"  # only the call-back notice could go, and it went
    NOT_A_RECIPIENT = "not_a_recipient"      # third party or non-liable guarantor
    RESEND_LIMIT = "resend_limit"            # re-sent once only
    NOT_RESENDABLE = "not_resendable"        # the return reason does not call for a re-send
    SUPERSEDED = "superseded"                # the schedule has moved on


@dataclass(frozen=True, slots=True)
class Party:
    party_id: str
    name: str
    role: PartyRole
    jointly_liable: bool = False
    gender: str | None = None               # M | F: the salutation 先生/女士


@dataclass(frozen=True, slots=True)
class Address:
    address_id: str
    party_id: str                           # whose address it is
    kind: str                               # household_registration | home | work | other
    line: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    postcode: str | None = None
    source: AddressSource = AddressSource.CLIENT
    found_on: date | None = None
    verified_on: date | None = None         # verified during collection (skip tracing, visit)
    invalid_since: date | None = None       # returned or reported invalid: never chosen
    delivered_on: date | None = None        # a letter was delivered there (proven valid, R-29)

    @property
    def usable(self) -> bool:
        return self.invalid_since is None

    @property
    def verified(self) -> bool:
        return self.verified_on is not None

    @property
    def proven_valid(self) -> bool:
        return self.verified_on is not None or self.delivered_on is not None

    def lines(self) -> tuple[str, ...]:
        """The address block as printed: region line, then the street line."""
        region = "".join(p for p in (self.province, self.city, self.district) if p)
        return tuple(x for x in (region, self.line) if x)


@dataclass(frozen=True, slots=True)
class Instalment:
    no: int
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InstalmentPlan:
    plan_id: str
    agreed_on: date
    instalments: tuple[Instalment, ...]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """What the rules need to know about one case on `today`."""
    case_id: str
    client_id: str
    placement_id: str
    placed_on: date
    dpd_at_placement: int
    outstanding: Decimal
    parties: tuple[Party, ...]
    addresses: tuple[Address, ...] = ()
    status: str = "open"                    # open | settled | closed | recalled
    flags: frozenset[str] = frozenset()
    paused: bool = False
    overdue_since: date | None = None
    instalment_plan: InstalmentPlan | None = None

    def dpd_on(self, today: date) -> int:
        if self.overdue_since is not None:
            return max(0, (today - self.overdue_since).days)
        return self.dpd_at_placement + max(0, (today - self.placed_on).days)

    @property
    def cycle(self) -> str:
        """One letter of a type per recipient per cycle; the cycle is the placement (a
        re-placement of the account starts a new one)."""
        return self.placement_id

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.party_id == party_id), None)

    def addresses_of(self, party_id: str) -> tuple[Address, ...]:
        return tuple(a for a in self.addresses if a.party_id == party_id)


@dataclass(frozen=True, slots=True)
class LetterRecord:
    """A letter the service already holds for the case (any status)."""
    letter_id: str
    case_id: str
    cycle: str
    letter_type: LetterType
    recipient_id: str
    address_id: str
    status: LetterStatus
    created_on: date
    dispatched_on: date | None = None
    returned_on: date | None = None
    return_reason: str | None = None
    resend_of: str | None = None            # the original letter this one re-sends
    subject: str = ""                       # the instalment plan a confirmation confirms


@dataclass(frozen=True, slots=True)
class PlannedLetter:
    case_id: str
    client_id: str
    cycle: str
    letter_type: LetterType
    recipient: Party
    address: Address
    mail_class: MailClass
    why: str                                # the rule that produced it, for the clerk
    due_type: LetterType | None = None      # what was due when a call-back notice replaced it
    resend_of: str | None = None
    subject: str = ""

    @property
    def province(self) -> str:
        return self.address.province or "未知"


@dataclass(frozen=True, slots=True)
class Skipped:
    case_id: str
    reason: SkipReason
    detail: str
    letter_type: LetterType | None = None
    recipient_id: str | None = None
    block: BlockReason | None = None


@dataclass(frozen=True, slots=True)
class CasePlan:
    letters: tuple[PlannedLetter, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())
