"""The types intake's rules work on: validated cases, row errors, placements, client data rows.

Plain dataclasses (no pydantic per row): a 100,000-case placement makes millions of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from recoup_shared.vocabulary import CLIENT_FLAGS

# --- vocabularies (contracts.md §1) ------------------------------------------------------------
FLAGS: tuple[str, ...] = CLIENT_FLAGS
PHONE_KINDS = frozenset({"mobile", "home", "work", "other"})
PHONE_OWNERS = frozenset({"debtor", "contact"})
ADDRESS_KINDS = frozenset({"household_registration", "home", "work", "other"})

CASE_FIELDS = frozenset({
    "account_ref", "product", "debtor", "currency", "principal", "interest", "fees",
    "placed_amount", "dpd", "overdue_since", "last_payment", "credit_limit", "phones",
    "addresses", "employer", "flags", "remarks", "extra",
})
DEBTOR_FIELDS = frozenset({"name", "id_number", "gender", "birth_date"})
PHONE_FIELDS = frozenset({"number", "kind", "owner", "name", "relationship", "knows_debt", "employer"})
ADDRESS_FIELDS = frozenset({"kind", "province", "city", "district", "line", "employer", "owner", "name",
                            "relationship"})
LAST_PAYMENT_FIELDS = frozenset({"on", "amount"})

# Warning codes carried by accepted cases (cases.warnings); each comes with a row warning
# (field, reason) in the placement's answer.
W_TOTAL_MISMATCH = "total_mismatch"                   # the client's stated total wins
W_BREAKDOWN_MISSING = "amount_breakdown_missing"      # only placed_amount given
W_DUPLICATE_PHONE = "duplicate_phone"                 # a repeated number was dropped
W_INVALID_PHONE = "invalid_phone"                     # kept, marked invalid, never dialled
W_INVALID_ADDRESS = "invalid_address"                 # kept, marked invalid, never written to
W_SKIP_TRACE = "skip_trace"                           # no valid phone of the debtor


@dataclass(frozen=True, slots=True)
class ValidationLimits:
    """Configurable bounds (defaults fit contracts.md and numeric(18,2) columns)."""

    name_max: int = 64
    remarks_max: int = 2000
    text_max: int = 200                 # address line, product, relationship...
    region_max: int = 32                # province / city / district
    employer_max: int = 128
    account_ref_max: int = 64
    max_amount: Decimal = Decimal("9999999999999999.99")
    max_dpd: int = 36500
    max_phones: int = 50
    max_addresses: int = 20
    max_extra: int = 50                 # client fields (extra.<name>) per case
    extra_name_max: int = 64
    extra_value_max: int = 500


DEFAULT_LIMITS = ValidationLimits()


# --- results of validation ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row: `row` is the 0-based index into `cases` (or the file row number
    for uploads), `field` the path (`cases[3].debtor.id_number`) or the file's column header."""

    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(slots=True)
class ValidPhone:
    number: str                  # canonical national dialling form: 13800138000, 037165432100
    number_given: str            # as the client sent it
    extension: str | None
    kind: str                    # mobile | home | work | other
    owner: str                   # debtor | contact
    name: str | None
    relationship: str | None
    knows_debt: bool | None
    is_mobile: bool              # the number is a mobile (whatever `kind` says)
    invalid: str | None = None   # why the number cannot be dialled (then `number` is as given)
    employer: str | None = None  # the person's employer (contacts)


@dataclass(slots=True)
class ValidAddress:
    kind: str                    # household_registration | home | work | other
    province: str | None
    city: str | None
    district: str | None
    line: str
    employer: str | None
    invalid: str | None = None   # why it cannot be used (kept as given)
    owner: str = "debtor"        # debtor | contact (a contact person's address, R-30)
    name: str | None = None      # whose, for a contact's address
    relationship: str | None = None


@dataclass(slots=True)
class ValidCase:
    row: int                     # index into `cases` (file row number for uploads)
    account_ref: str             # spaces/dashes removed, full-width folded
    product: str | None          # per-case override of the placement's product
    debtor_name: str
    id_number: str               # as given (trimmed, NFKC, upper-case X): 18 or 15 characters
    id_number_18: str            # 18-character form, for matching
    gender: str                  # M | F (from the ID number; a given value must agree)
    birth_date: date             # from the ID number
    currency: str
    principal: Decimal
    interest: Decimal
    fees: Decimal
    placed_amount: Decimal       # the client's stated total when given
    dpd: int
    overdue_since: date
    dpd_bucket: str
    last_payment_on: date | None
    last_payment_amount: Decimal | None
    credit_limit: Decimal | None
    phones: list[ValidPhone]
    addresses: list[ValidAddress]
    employer: str | None
    flags: list[str]
    remarks: str | None
    warnings: list[str] = field(default_factory=list)
    # R-4 row warnings of an accepted case: (field path suffix, reason), like errors
    notes: list[tuple[str, str]] = field(default_factory=list)
    extra: dict[str, Any] | None = None          # R-3 client fields (extra.<name>)

    @property
    def skip_trace(self) -> bool:
        """R-4: no valid phone of the debtor — marked for skip tracing."""
        return W_SKIP_TRACE in self.warnings


@dataclass(slots=True)
class ValidationResult:
    valid: list[ValidCase]
    errors: list[RowError]
    warnings: list[RowError] = field(default_factory=list)   # of accepted rows

    @property
    def accepted(self) -> int:
        return len(self.valid)

    @property
    def rejected_rows(self) -> list[int]:
        """Rejected row labels, ascending, each once."""
        return sorted({e.row for e in self.errors})

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})


# --- placements (R-1, R-2, R-7) -----------------------------------------------------------------
@dataclass(frozen=True)
class PlacementHeader:
    """A placement's own fields (JSON body or upload form)."""
    placement_ref: str
    product: str
    placed_on: date
    recall_on: date


@dataclass(frozen=True)
class PlacementInfo:
    """What every case of a placement is stored and published with."""
    client_id: str
    placement_id: str
    placement_ref: str
    product: str
    placed_on: date
    recall_on: date


@dataclass(slots=True)
class Identified:
    """A valid case with its ids and lookup hashes — what the checks before storing need.
    `case` is None where the case itself stays in a worker process; `index` is the case's
    position in the placement's rows."""
    case: ValidCase | None
    case_id: str
    event_id: str
    account_hash: str
    id_hash: str
    row: int
    index: int = 0
    notes: list[tuple[str, str]] | None = None   # the case's R-4 warnings (field suffix, reason)

    @property
    def valid_case(self) -> ValidCase:
        """The case, where it is held (preparing its rows and event)."""
        if self.case is None:
            raise LookupError(f"case {self.case_id} is held by a worker process, not here")
        return self.case


@dataclass(slots=True)
class CaseText:
    """A valid case's values in the written form the stored row and the `case.received` event
    share (computed once per case: decimal strings are exact, ISO dates, masked identifiers)."""
    product: str
    account_masked: str
    id_masked: str
    employer: str | None
    region: str | None
    principal: str
    interest: str
    fees: str
    placed_amount: str
    birth_date: str | None
    overdue_since: str | None
    last_payment_on: str | None
    last_payment_amount: str | None
    credit_limit: str | None


# --- client data after placement (R-5) ----------------------------------------------------------
@dataclass(frozen=True)
class RepaymentRow:
    index: int
    account_ref: str
    amount: Decimal
    paid_at: datetime            # aware
    txn_ref: str
    channel: str | None

    def content_sha256(self) -> str:
        """The row's meaning, normalised: the same txn_ref re-sent must carry the same content."""
        canon = "\x1f".join((self.account_ref, f"{self.amount:.2f}",
                             self.paid_at.astimezone(timezone.utc).isoformat(), self.channel or ""))
        return hashlib.sha256(canon.encode()).hexdigest()


@dataclass
class UpdateRow:
    index: int
    account_ref: str
    amounts: dict[str, Decimal] = field(default_factory=dict)   # any of principal/interest/fees/placed_amount
    phones: list[ValidPhone] = field(default_factory=list)
    addresses: list[ValidAddress] = field(default_factory=list)
    flags: list[str] | None = None
    remarks: str | None = None
    effective_on: date | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # R-4 warnings (field suffix, reason)


@dataclass(frozen=True)
class RecallRequest:
    account_refs: list[Any] | None     # raw values, judged per row
    placement_ref: str | None
    reason: str | None
    effective_on: date | None
