"""One case, a row of a placement (R-2, R-4): every field judged, every error listed; the rules
across rows (a repeated account) applied in row order.

`check_rows` judges each row on its own (so parts of a placement can be checked in parallel,
in worker processes); `RowCollector` applies the rules across rows; `validate_cases` is both.
Speed matters (100,000-case placements): plain functions and dataclasses, regexes compiled once,
no pydantic per row, no exceptions on the happy path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from recoup_shared.gcpause import gc_paused
from recoup_shared.identifiers import normalise_account_ref
from recoup_shared.vocabulary import dpd_bucket

from ..model import (CASE_FIELDS, DEFAULT_LIMITS, W_SKIP_TRACE, W_TOTAL_MISMATCH, RowError,
                     ValidationLimits, ValidationResult, ValidCase, ValidPhone)
from .addresses import validate_addresses
from .amounts import validate_amounts, validate_currency
from .common import Errs, InvalidValue, opt_text
from .dates import validate_last_payment, validate_overdue
from .extra import validate_extra
from .flags import validate_flags
from .identity import validate_account, validate_debtor
from .phones import validate_phones

# the client's stated total wins over the parts, flagged — in the answer too. (A total without
# parts, W_BREAKDOWN_MISSING, is how many banks send amounts: kept on the case, not listed.)
_AMOUNT_NOTES = {
    W_TOTAL_MISMATCH: (".placed_amount", "differs from principal + interest + fees; the stated total is kept"),
}
SKIP_TRACE_NOTE = (".phones", "no valid phone of the debtor: accepted and marked for skip tracing")


def needs_skip_trace(phones: list[ValidPhone]) -> bool:
    """R-4: a debtor without a valid phone of their own is marked for skip tracing."""
    for p in phones:
        if p.owner == "debtor" and p.invalid is None:
            return False
    return True


def _free_text(c: dict, limits: ValidationLimits, errs: Errs) -> tuple[str | None, str | None]:
    """(employer, remarks)."""
    employer = remarks = None
    try:
        employer = opt_text(c.get("employer"), limits.employer_max)
    except InvalidValue as e:
        errs.append((".employer", e.args[0]))
    try:
        remarks = opt_text(c.get("remarks"), limits.remarks_max)
    except InvalidValue as e:
        errs.append((".remarks", e.args[0]))
    return employer, remarks


def validate_case(c: dict, placed_on: date, today: date, limits: ValidationLimits, errs: Errs) -> ValidCase | None:
    """Validate one case object. Appends (field suffix, reason) to errs; returns the case only
    when errs stayed empty."""
    if not CASE_FIELDS.issuperset(c):
        for k in c:
            if k not in CASE_FIELDS:
                errs.append((f".{k}", "unknown field"))
    warnings: list[str] = []
    notes: list[tuple[str, str]] = []
    account_ref, product = validate_account(c, limits, errs)
    name, idn = validate_debtor(c, today, limits, errs)
    currency = validate_currency(c, errs)
    principal, interest, fees, placed, credit_limit = validate_amounts(c, limits, errs, warnings)
    dpd, overdue_since = validate_overdue(c, placed_on, limits, errs)
    lp_on, lp_amount = validate_last_payment(c, today, limits.max_amount, errs)
    phones = validate_phones(c.get("phones"), errs, limits, warnings, notes)
    addresses = validate_addresses(c.get("addresses"), errs, limits, warnings, notes)
    employer, remarks = _free_text(c, limits, errs)
    flags = validate_flags(c.get("flags"), errs)
    extra = validate_extra(c.get("extra"), errs, limits) if "extra" in c else None
    if errs:
        return None
    if warnings:
        notes[:0] = [_AMOUNT_NOTES[w] for w in warnings if w in _AMOUNT_NOTES]
    if needs_skip_trace(phones):
        warnings.append(W_SKIP_TRACE)
        notes.append(SKIP_TRACE_NOTE)
    return ValidCase(
        0, account_ref, product, name, idn.given, idn.id18, idn.gender, idn.birth_date,  # type: ignore[union-attr, arg-type]
        currency, principal, interest, fees, placed, dpd, overdue_since, dpd_bucket(dpd),  # type: ignore[arg-type]
        lp_on, lp_amount,
        credit_limit, phones, addresses, employer, flags, remarks, warnings, notes, extra,
    )


RowCheck = tuple["ValidCase | None", "list[tuple[str, str]] | None", "str | None"]


def check_rows(raw_cases: Sequence[Any], *, placed_on: date, today: date,
               limits: ValidationLimits = DEFAULT_LIMITS) -> list[RowCheck]:
    """Each row judged on its own: (the valid case or None, its errors as (field suffix, reason)
    — empty when valid, None when the row is not a JSON object —, its account key for the
    duplicate rule: the normalised account_ref, or None)."""
    # A few objects per row and no reference cycles: the collector would only rescan the (large)
    # input again and again — about 40 % of the time on 100k rows.
    with gc_paused():
        out: list[RowCheck] = []
        append = out.append
        for c in raw_cases:
            if type(c) is not dict:
                append((None, None, None))
                continue
            errs: Errs = []
            vc = validate_case(c, placed_on, today, limits, errs)
            acc = c.get("account_ref")
            key = None
            if type(acc) is str:
                key = (vc.account_ref if vc is not None else normalise_account_ref(acc)) or None
            append((vc, errs, key))
        return out


class RowCollector:
    """The rules across rows, fed in row order: a repeated account key rejects the second and later
    rows ("first at row N"), and each rejected row's errors are listed (row label, field path
    `cases[i]...`, at most `max_errors_per_row` plus a line saying how many more)."""

    def __init__(self, *, row_numbers: Sequence[int] | None = None, max_errors_per_row: int = 20) -> None:
        self.row_numbers = row_numbers
        self.max_errors_per_row = max_errors_per_row
        self.first_seen: dict[str, int] = {}
        self.errors: list[RowError] = []

    def label(self, i: int) -> int:
        return self.row_numbers[i] if self.row_numbers is not None else i

    def add(self, i: int, errs: Errs | None, key: str | None) -> bool:
        """Row i (its check_rows result); True when it is accepted."""
        label = self.label(i)
        if errs is None:
            self.errors.append(RowError(label, f"cases[{i}]", "must be a JSON object"))
            return False
        # Duplicates are judged on the normalised account_ref, even when the row has other errors.
        if key:
            first = self.first_seen.get(key)
            if first is None:
                self.first_seen[key] = label
            else:
                errs = [*errs, (".account_ref", f"duplicate account_ref in this placement (first at row {first})")]
        if not errs:
            return True
        if len(errs) > self.max_errors_per_row:
            more = len(errs) - self.max_errors_per_row
            errs = errs[:self.max_errors_per_row]
            errs.append(("", f"{more} more error(s) in this row not listed"))
        prefix = f"cases[{i}]"
        self.errors.extend(RowError(label, prefix + suffix, reason) for suffix, reason in errs)
        return False


def validate_cases(raw_cases: list[Any], *, placed_on: date, today: date, max_errors_per_row: int = 20,
                   row_numbers: Sequence[int] | None = None,
                   limits: ValidationLimits = DEFAULT_LIMITS) -> ValidationResult:
    """Validate every case of a placement (R-4).

    Field paths use the 0-based index into `raw_cases` (`cases[3].debtor.id_number`). `row`
    (RowError.row, ValidCase.row and the "first at row N" of duplicates) is that index too, or
    `row_numbers[i]` when given (file row numbers of an upload). At most `max_errors_per_row`
    errors are listed per row, plus one line saying how many more there were.
    A repeated account_ref (after normalisation) rejects the second and later rows."""
    collector = RowCollector(row_numbers=row_numbers, max_errors_per_row=max_errors_per_row)
    valid: list[ValidCase] = []
    warnings: list[RowError] = []
    for i, (vc, errs, key) in enumerate(check_rows(raw_cases, placed_on=placed_on, today=today, limits=limits)):
        if collector.add(i, errs, key):
            vc.row = collector.label(i)  # type: ignore[union-attr]
            valid.append(vc)  # type: ignore[arg-type]
            if vc.notes:  # type: ignore[union-attr]
                warnings.extend(row_warnings(vc, i))  # type: ignore[arg-type]
    return ValidationResult(valid, collector.errors, warnings)


def row_warnings(vc: ValidCase, i: int) -> list[RowError]:
    """R-4: an accepted case's warnings as the answer lists them (row, field path, reason)."""
    prefix = f"cases[{i}]"
    return [RowError(vc.row, prefix + suffix, reason) for suffix, reason in vc.notes]
