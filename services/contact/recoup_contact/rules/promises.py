"""R-23 promises to pay (PTP): validation, matching repayments, kept and broken.

A single promise is a plan of one instalment; an instalment plan is kept instalment by instalment.
`evaluate_promises` is a pure step the service runs when a repayment is posted and once a day (the
breaking job); it is idempotent and incremental — evaluating day by day gives the same states as
evaluating once at the end (tested).

Decisions (R-23 leaves them open):
- Matching is chronological: repayments in paid-on order, each to the open promises oldest first
  (by made-on date), inside a promise to its instalments in date order; an instalment takes money
  only up to its own amount, the rest flows on. A repayment is never given to a promise made after
  it, nor to an instalment whose deadline (date + grace) had passed when it was paid.
- Kept: the matched amount reaches the amount less the tolerance (rounded half-up to the fen) — on
  the day of the repayment that completed it. Broken: the day after date + grace days (calendar
  days, debtor's zone) with the amount not reached.
- A plan breaks at its first broken instalment; its later open instalments are cancelled (the
  collector renegotiates: a new promise). A plan is kept when every instalment is kept.
- Terminal states (kept, broken, cancelled) never change: a repayment the bank reports late, after
  the promise was judged broken, does not revive it (grace days exist for reporting lag); it goes
  to the next open promise it is eligible for, or stays unmatched.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import Field

from .errors import FieldError
from .model import ConfigModel, ContactStatus

__all__ = [
    "PromiseState",
    "PromiseConfig",
    "Instalment",
    "Promise",
    "Repayment",
    "Allocation",
    "OutcomeKind",
    "PromiseOutcome",
    "Evaluation",
    "InstalmentDraft",
    "PromiseDraft",
    "FEN",
    "evaluate_promises",
    "kept_threshold",
    "deadline",
    "next_open_instalment",
    "promise_from_draft",
    "status_after",
    "validate_promise",
]

FEN = Decimal("0.01")


class PromiseState(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    CANCELLED = "cancelled"   # a later instalment of a broken plan; or the service's (recall, correction)


class PromiseConfig(ConfigModel):
    grace_days: int = Field(default=0, ge=0, le=30)                         # R-23, calendar days
    tolerance_pct: Decimal = Field(default=Decimal("0"), ge=0, le=50, decimal_places=2)   # R-23, percent


@dataclass(frozen=True, slots=True)
class Instalment:
    seq: int
    due_on: date
    amount: Decimal
    paid: Decimal = Decimal("0")
    state: PromiseState = PromiseState.OPEN
    settled_on: date | None = None   # kept: day of the completing repayment; broken: the day after the deadline


@dataclass(frozen=True, slots=True)
class Promise:
    id: str
    made_on: date                    # debtor's zone
    instalments: tuple[Instalment, ...]
    state: PromiseState = PromiseState.OPEN

    @property
    def is_plan(self) -> bool:
        return len(self.instalments) > 1

    @property
    def amount(self) -> Decimal:
        return sum((i.amount for i in self.instalments), Decimal("0"))


@dataclass(frozen=True, slots=True)
class Repayment:
    ref: str                         # txn_ref
    paid_on: date                    # debtor's zone
    amount: Decimal                  # the part not yet allocated to a promise


@dataclass(frozen=True, slots=True)
class Allocation:
    repayment_ref: str
    promise_id: str
    seq: int
    amount: Decimal


class OutcomeKind(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class PromiseOutcome:
    promise_id: str
    instalment: int | None           # None: the promise (or the whole plan)
    kind: OutcomeKind
    on: date
    promised: Decimal
    paid: Decimal


@dataclass(frozen=True, slots=True)
class Evaluation:
    promises: tuple[Promise, ...]
    allocations: tuple[Allocation, ...]
    outcomes: tuple[PromiseOutcome, ...]   # the transitions of this evaluation, to emit
    unmatched: tuple[Repayment, ...]       # remainders no open promise could take


def kept_threshold(amount: Decimal, cfg: PromiseConfig) -> Decimal:
    """R-23: the matched amount that keeps an instalment: amount × (1 − tolerance%), half-up to the fen."""
    return (amount * (100 - cfg.tolerance_pct) / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def deadline(inst: Instalment, cfg: PromiseConfig) -> date:
    """The last day a repayment counts for `inst` (R-23 grace days); broken the day after."""
    return inst.due_on + timedelta(days=cfg.grace_days)


@dataclass
class _Work:
    promise: Promise
    insts: list[Instalment]
    state: PromiseState
    outcomes: list[PromiseOutcome] = field(default_factory=list)

    def freeze(self) -> Promise:
        return replace(self.promise, instalments=tuple(self.insts), state=self.state)


def evaluate_promises(promises: Iterable[Promise], repayments: Iterable[Repayment], today: date,
                      cfg: PromiseConfig) -> Evaluation:
    """R-23: match `repayments` (unallocated amounts) to the open promises and judge them on `today`
    (the debtor's zone). Pass the case's repayments paid on or after the oldest open promise was made."""
    works = sorted((_Work(p, sorted(p.instalments, key=lambda i: (i.due_on, i.seq)), p.state) for p in promises),
                   key=lambda w: (w.promise.made_on, w.promise.id))
    allocations: list[Allocation] = []
    unmatched: list[Repayment] = []
    for repayment in sorted(repayments, key=lambda r: (r.paid_on, r.ref)):
        if repayment.amount <= 0:
            continue
        _break_overdue(works, min(repayment.paid_on, today), cfg)
        left = _allocate(works, repayment, cfg, allocations)
        if left > 0:
            unmatched.append(replace(repayment, amount=left))
    _break_overdue(works, today, cfg)
    return Evaluation(tuple(w.freeze() for w in works), tuple(allocations),
                      tuple(o for w in works for o in w.outcomes), tuple(unmatched))


def _allocate(works: list[_Work], repayment: Repayment, cfg: PromiseConfig, out: list[Allocation]) -> Decimal:
    left = repayment.amount
    for work in works:                                   # oldest promise first
        if work.state is not PromiseState.OPEN or work.promise.made_on > repayment.paid_on:
            continue
        for n, inst in enumerate(work.insts):
            if left <= 0:
                return left
            if inst.state is not PromiseState.OPEN or repayment.paid_on > deadline(inst, cfg):
                continue
            take = min(left, inst.amount - inst.paid)
            if take <= 0:
                continue
            left -= take
            out.append(Allocation(repayment.ref, work.promise.id, inst.seq, take))
            inst = work.insts[n] = replace(inst, paid=inst.paid + take)
            if inst.paid >= kept_threshold(inst.amount, cfg):
                _keep(work, n, repayment.paid_on)
    return left


def _keep(work: _Work, n: int, on: date) -> None:
    inst = work.insts[n] = replace(work.insts[n], state=PromiseState.KEPT, settled_on=on)
    if work.promise.is_plan:
        work.outcomes.append(PromiseOutcome(work.promise.id, inst.seq, OutcomeKind.KEPT, on, inst.amount, inst.paid))
    if all(i.state is PromiseState.KEPT for i in work.insts):
        work.state = PromiseState.KEPT
        paid = sum((i.paid for i in work.insts), Decimal("0"))
        work.outcomes.append(PromiseOutcome(work.promise.id, None, OutcomeKind.KEPT, on, work.promise.amount, paid))


def _break_overdue(works: list[_Work], today: date, cfg: PromiseConfig) -> None:
    """Break every open promise with an open instalment whose deadline is before `today`."""
    for work in works:
        if work.state is not PromiseState.OPEN:
            continue
        missed = next((n for n, i in enumerate(work.insts)
                       if i.state is PromiseState.OPEN and deadline(i, cfg) < today), None)
        if missed is None:
            continue
        inst = work.insts[missed]
        on = deadline(inst, cfg) + timedelta(days=1)
        work.insts[missed] = replace(inst, state=PromiseState.BROKEN, settled_on=on)
        for n, other in enumerate(work.insts):           # a plan breaks at its first miss
            if other.state is PromiseState.OPEN:
                work.insts[n] = replace(other, state=PromiseState.CANCELLED)
        work.state = PromiseState.BROKEN
        if work.promise.is_plan:
            work.outcomes.append(PromiseOutcome(work.promise.id, inst.seq, OutcomeKind.BROKEN, on,
                                                inst.amount, inst.paid))
        paid = sum((i.paid for i in work.insts), Decimal("0"))
        work.outcomes.append(PromiseOutcome(work.promise.id, None, OutcomeKind.BROKEN, on,
                                            work.promise.amount, paid))


def next_open_instalment(promise: Promise) -> Instalment | None:
    """The instalment PTP_INSTALMENT's follow-up is counted from (R-22: the day before it)."""
    return min((i for i in promise.instalments if i.state is PromiseState.OPEN),
               key=lambda i: i.due_on, default=None)


def status_after(evaluation: Evaluation, current: ContactStatus | None) -> ContactStatus | None:
    """The case status the outcomes imply, or None to keep `current`.

    A broken promise → BROKEN_PTP (R-23). A kept promise with nothing left open → REACHABLE_SELF
    (the debtor answered and paid; the next talk is within 4 working days). Otherwise unchanged."""
    whole = [o for o in evaluation.outcomes if o.instalment is None]
    if any(o.kind is OutcomeKind.BROKEN for o in whole):
        return ContactStatus.BROKEN_PTP
    still_open = any(p.state is PromiseState.OPEN for p in evaluation.promises)
    if whole and not still_open and current in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT):
        return ContactStatus.REACHABLE_SELF
    return None


@dataclass(frozen=True, slots=True)
class InstalmentDraft:
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PromiseDraft:
    instalments: tuple[InstalmentDraft, ...]   # one: a single PTP; several: an instalment plan
    settlement: bool = False                   # offered as full and final settlement
    waiver_authorisation: str | None = None    # the client's authorisation reference

    @classmethod
    def single(cls, amount: Decimal, due_on: date, **kw: object) -> PromiseDraft:
        return cls((InstalmentDraft(due_on, amount),), **kw)  # type: ignore[arg-type]


def _field(draft: PromiseDraft, i: int, name: str) -> str:
    return name if len(draft.instalments) == 1 else f"instalments[{i}].{name}"


def validate_promise(draft: PromiseDraft, *, outstanding: Decimal, today: date,
                     recall_on: date | None) -> list[FieldError]:
    """A new promise (R-23, R-49): amounts > 0 in whole fen and within the outstanding amount, dates
    from today (debtor's zone) to the recall date, a plan's dates strictly increasing."""
    errors: list[FieldError] = []
    if not draft.instalments:
        return [FieldError("instalments", "a promise needs an amount and a date")]
    for i, inst in enumerate(draft.instalments):
        errors += _instalment_errors(draft, i, inst, outstanding, today, recall_on)
        if i and inst.due_on <= draft.instalments[i - 1].due_on:
            errors.append(FieldError(_field(draft, i, "due_on"), "instalment dates must be strictly increasing"))
    total = sum((i.amount for i in draft.instalments), Decimal("0"))
    if len(draft.instalments) > 1 and total > outstanding:
        errors.append(FieldError("instalments", f"the instalments total {total} exceeds the outstanding {outstanding}"))
    if draft.settlement and total < outstanding and not (draft.waiver_authorisation or "").strip():
        # accepting less than the outstanding as settlement is a waiver only the client grants
        errors.append(FieldError("waiver_authorisation", "a settlement below the outstanding amount "
                                 "needs the client's authorisation reference (R-49)"))
    return errors


def _instalment_errors(draft: PromiseDraft, i: int, inst: InstalmentDraft, outstanding: Decimal,
                       today: date, recall_on: date | None) -> list[FieldError]:
    errors = []
    amount = inst.amount
    if not amount.is_finite() or amount <= 0:
        errors.append(FieldError(_field(draft, i, "amount"), "the amount must be greater than 0"))
    elif amount != amount.quantize(FEN):
        errors.append(FieldError(_field(draft, i, "amount"), "at most two decimals (fen)"))
    elif amount > outstanding:
        errors.append(FieldError(_field(draft, i, "amount"), f"the amount exceeds the outstanding {outstanding}"))
    if inst.due_on < today:
        errors.append(FieldError(_field(draft, i, "due_on"), "the date is in the past"))
    if recall_on is not None and inst.due_on > recall_on:
        errors.append(FieldError(_field(draft, i, "due_on"),
                                 f"the date is after the recall date {recall_on.isoformat()}"))
    return errors


def promise_from_draft(promise_id: str, made_on: date, draft: PromiseDraft) -> Promise:
    """The open promise a validated draft becomes."""
    return Promise(promise_id, made_on, tuple(Instalment(n + 1, d.due_on, d.amount)
                                              for n, d in enumerate(draft.instalments)))
