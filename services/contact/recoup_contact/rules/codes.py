"""The client's action/result code table (行动码/结果码) and the validation of a submitted record.

Banks demand their own codes in contact records and reports. A table is per client and versioned:
a change is a new version with its own `effective_from`; a record is validated against the version
in force on its day and stores that version. Each code says which channels, parties and results it
may describe, the R-22 status it implies (or the statuses it allows), and the fields it requires.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from .errors import FieldError
from .model import RESULTS_BY_CHANNEL, Channel, ConfigModel, Party, Result, ContactStatus
from .promises import PromiseDraft, validate_promise
from .records import CONVERSATION_RESULTS, is_effective

__all__ = [
    "RecordField",
    "ActionCode",
    "CodeTable",
    "RecordDraft",
    "RecordContext",
    "RecordCheck",
    "NOTES_MAX_CHARS",
    "table_in_force",
    "validate_record",
    "default_code_table",
]

NOTES_MAX_CHARS = 2000


class RecordField(StrEnum):
    NOTES = "notes"
    PROMISE = "promise"                        # a single promise: amount and date
    INSTALMENTS = "instalments"                # an instalment plan
    CALLBACK_AT = "callback_at"
    DISPUTE_REASON = "dispute_reason"
    NEW_CONTACT = "new_contact"                # a phone / address / employer found
    CLAIMED_REPAYMENT = "claimed_repayment"    # "I already paid" (待银行对账)


class ActionCode(ConfigModel):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.\-]+$")
    label: str = Field(min_length=1, max_length=100)
    results: frozenset[Result] = Field(min_length=1)
    channels: frozenset[Channel] = frozenset(Channel)
    parties: frozenset[Party] = frozenset(Party)
    implies: ContactStatus | None = None              # the status a record with this code puts the case in
    allows: frozenset[ContactStatus] = frozenset()    # without `implies`: statuses the collector may pick (empty: any)
    requires: frozenset[RecordField] = frozenset()
    active: bool = True                        # retired codes stay for old records, refuse new ones

    @model_validator(mode="after")
    def _consistent(self) -> ActionCode:
        possible = frozenset().union(*(RESULTS_BY_CHANNEL[c] for c in self.channels))
        if not self.results <= possible:
            raise ValueError(f"results {sorted(self.results - possible)} cannot occur on channels "
                             f"{sorted(self.channels)}")
        if self.implies is not None and self.allows and self.implies not in self.allows:
            raise ValueError("the implied status must be among the allowed ones")
        needs = _STATUS_NEEDS.get(self.implies) if self.implies else None
        if needs and needs not in self.requires:
            raise ValueError(f"a code implying {self.implies} must require {needs.value!r}")
        if self.implies in _NEEDS_CONVERSATION and not self.results <= CONVERSATION_RESULTS | {Result.VISIT_MET}:
            raise ValueError(f"{self.implies} needs a conversation; results allowed: connected, "
                             "callback_requested, do_not_call_requested, visit_met")
        return self


# The status rules hold whatever the client's table says.
_STATUS_NEEDS = {ContactStatus.PTP: RecordField.PROMISE, ContactStatus.PTP_INSTALMENT: RecordField.INSTALMENTS,
                 ContactStatus.DISPUTE: RecordField.DISPUTE_REASON}
_NEEDS_CONVERSATION = frozenset({ContactStatus.PTP, ContactStatus.PTP_INSTALMENT, ContactStatus.REACHABLE_SELF,
                                 ContactStatus.REACHABLE_THIRD_PARTY})


class CodeTable(ConfigModel):
    client_id: str = Field(min_length=1)
    version: int = Field(ge=1)
    effective_from: date
    codes: tuple[ActionCode, ...] = Field(min_length=1)

    @field_validator("codes")
    @classmethod
    def _unique(cls, codes: tuple[ActionCode, ...]) -> tuple[ActionCode, ...]:
        seen: set[str] = set()
        for c in codes:
            if c.code.upper() in seen:
                raise ValueError(f"code {c.code!r} appears twice (codes are case-insensitive)")
            seen.add(c.code.upper())
        if not any(c.active for c in codes):
            raise ValueError("at least one code must be active")
        return codes

    def find(self, code: str) -> ActionCode | None:
        return next((c for c in self.codes if c.code.upper() == code.strip().upper()), None)

    def active_codes(self) -> tuple[str, ...]:
        return tuple(sorted(c.code for c in self.codes if c.active))


def table_in_force(tables: Iterable[CodeTable], on: date) -> CodeTable | None:
    """The version in force on `on`: the latest effective_from not after it (then the highest version)."""
    candidates = [t for t in tables if t.effective_from <= on]
    return max(candidates, key=lambda t: (t.effective_from, t.version), default=None)


@dataclass(frozen=True, slots=True)
class RecordDraft:
    channel: Channel
    party: Party
    result: Result
    code: str
    status: ContactStatus | None = None             # the R-22 status chosen; None: the code's, or unchanged
    notes: str = ""
    promise: PromiseDraft | None = None
    callback_at: datetime | None = None
    dispute_reason: str | None = None
    new_contacts: int = 0                    # phones / addresses / employers found in this contact
    claimed_repayment: bool = False


@dataclass(frozen=True, slots=True)
class RecordContext:
    today: date                              # the debtor's zone
    outstanding: Decimal
    recall_on: date | None


@dataclass(frozen=True, slots=True)
class RecordCheck:
    status: ContactStatus | None                    # the status after the record (None: unchanged)
    effective: bool
    errors: tuple[FieldError, ...]


def validate_record(draft: RecordDraft, table: CodeTable, ctx: RecordContext) -> RecordCheck:
    """A submitted contact record against the client's code table and the status rules."""
    effective = is_effective(draft.channel, draft.result)
    spec = table.find(draft.code)
    if spec is None or not spec.active:
        what = "unknown" if spec is None else "retired"
        reason = f"{what} code for this client (code table version {table.version})"
        return RecordCheck(None, effective, (FieldError("code", reason, table.active_codes()),))
    errors: list[FieldError] = []
    if draft.result not in RESULTS_BY_CHANNEL[draft.channel]:
        errors.append(FieldError("result", f"{draft.result} cannot occur on {draft.channel}",
                                 tuple(sorted(RESULTS_BY_CHANNEL[draft.channel]))))
    for name, value, allowed in (("channel", draft.channel, spec.channels), ("party", draft.party, spec.parties),
                                 ("result", draft.result, spec.results)):
        if value not in allowed:
            errors.append(FieldError(name, f"code {spec.code} does not apply to {name} {value}",
                                     tuple(sorted(allowed))))
    status, status_errors = _status(draft, spec)
    errors += status_errors
    errors += _required(draft, spec.requires | ({_STATUS_NEEDS[status]} if status in _STATUS_NEEDS else set()))
    errors += _status_facts(draft, status, effective, ctx)
    if len(draft.notes) > NOTES_MAX_CHARS:
        errors.append(FieldError("notes", f"at most {NOTES_MAX_CHARS} characters"))
    return RecordCheck(status, effective, tuple(errors))


def _status(draft: RecordDraft, spec: ActionCode) -> tuple[ContactStatus | None, list[FieldError]]:
    if spec.implies is not None:
        if draft.status is not None and draft.status is not spec.implies:
            return spec.implies, [FieldError("status", f"code {spec.code} sets the status {spec.implies}",
                                             (spec.implies.value,))]
        return spec.implies, []
    if draft.status is not None and spec.allows and draft.status not in spec.allows:
        return draft.status, [FieldError("status", f"code {spec.code} does not allow status {draft.status}",
                                         tuple(sorted(spec.allows)))]
    return draft.status, []


def _required(draft: RecordDraft, requires: Iterable[RecordField]) -> list[FieldError]:
    present = {
        RecordField.NOTES: bool(draft.notes.strip()),
        RecordField.PROMISE: draft.promise is not None,
        RecordField.INSTALMENTS: draft.promise is not None,
        RecordField.CALLBACK_AT: draft.callback_at is not None,
        RecordField.DISPUTE_REASON: bool((draft.dispute_reason or "").strip()),
        RecordField.NEW_CONTACT: draft.new_contacts > 0,
        RecordField.CLAIMED_REPAYMENT: draft.claimed_repayment,
    }
    return [FieldError(f.value, f"required by code {draft.code}") for f in sorted(requires) if not present[f]]


def _status_facts(draft: RecordDraft, status: ContactStatus | None, effective: bool,
                  ctx: RecordContext) -> list[FieldError]:
    errors: list[FieldError] = []
    if draft.callback_at is not None and draft.callback_at.tzinfo is None:
        errors.append(FieldError("callback_at", "must carry a time zone"))
    if draft.promise is not None:
        size = len(draft.promise.instalments)
        if status is ContactStatus.PTP and size != 1:
            errors.append(FieldError("promise", "PTP is a single promise; use PTP_INSTALMENT for a plan"))
        elif status is ContactStatus.PTP_INSTALMENT and size < 2:
            errors.append(FieldError("promise", "an instalment plan needs at least two instalments"))
        elif status not in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT):
            errors.append(FieldError("status", "a promise needs the status PTP or PTP_INSTALMENT"))
        errors += [e.under("promise") for e in validate_promise(
            draft.promise, outstanding=ctx.outstanding, today=ctx.today, recall_on=ctx.recall_on)]
    if status in _NEEDS_CONVERSATION and not effective:
        errors.append(FieldError("status", f"{status} needs an effective contact (a conversation or a visit met)"))
    if status is ContactStatus.REACHABLE_SELF and draft.party is not Party.DEBTOR:
        errors.append(FieldError("status", "REACHABLE_SELF means the debtor was reached"))
    if status is ContactStatus.REACHABLE_THIRD_PARTY and draft.party is Party.DEBTOR:
        errors.append(FieldError("status", "REACHABLE_THIRD_PARTY means only a third party was reached"))
    return errors


def _code(code: str, label: str, results: Iterable[Result], **kw: object) -> ActionCode:
    return ActionCode(code=code, label=label, results=frozenset(results), **kw)  # type: ignore[arg-type]


_CALLS = frozenset({Channel.OUTBOUND_CALL, Channel.INBOUND_CALL})
_TALK = (Result.CONNECTED, Result.VISIT_MET)
_NO_TALK = (Result.NO_ANSWER, Result.BUSY, Result.REFUSED, Result.HUNG_UP)
_DEAD = (Result.SWITCHED_OFF, Result.EMPTY_NUMBER, Result.SUSPENDED, Result.WRONG_PARTY)
_PERSONS = frozenset({Party.CONTACT_PERSON, Party.THIRD_PARTY})
_ABOUT_DEBTOR = (Result.CONNECTED, Result.VISIT_MET)


def default_code_table(client_id: str, effective_from: date = date(2000, 1, 1)) -> CodeTable:
    """The agency's own codes (seeds 004 statuses), used for a client that has not sent its table."""
    R, S, F = Result, ContactStatus, RecordField
    return CodeTable(client_id=client_id, version=1, effective_from=effective_from, codes=(
        _code("PTP", "承诺还款", _TALK, implies=S.PTP, requires={F.PROMISE}),
        _code("PTPI", "分期还款", _TALK, implies=S.PTP_INSTALMENT, requires={F.INSTALMENTS}),
        _code("RS", "本人可联", (R.CONNECTED, R.CALLBACK_REQUESTED, R.VISIT_MET), implies=S.REACHABLE_SELF,
              parties={Party.DEBTOR}),
        _code("TP", "联系人可联", (R.CONNECTED, R.CALLBACK_REQUESTED, R.VISIT_MET),
              implies=S.REACHABLE_THIRD_PARTY, parties=_PERSONS),
        _code("CB", "约定回电", (R.CALLBACK_REQUESTED,), requires={F.CALLBACK_AT},
              allows={S.NIGHT_FOLLOW_UP, S.REACHABLE_SELF, S.REACHABLE_THIRD_PARTY, S.URGENT}),
        _code("NA", "无人接听/占线/拒接", _NO_TALK, channels=_CALLS,
              allows={S.NO_ANSWER, S.LOST_CONTACT, S.NIGHT_FOLLOW_UP, S.URGENT}),
        _code("OFF", "关机", (R.SWITCHED_OFF,), channels=_CALLS, allows={S.NO_ANSWER, S.LOST_CONTACT, S.URGENT}),
        _code("EMPTY", "空号", (R.EMPTY_NUMBER,), channels=_CALLS, allows={S.NO_ANSWER, S.LOST_CONTACT}),
        _code("SUSP", "停机", (R.SUSPENDED,), channels=_CALLS, allows={S.NO_ANSWER, S.LOST_CONTACT}),
        _code("WRONG", "非本人/号码易主", (R.WRONG_PARTY,), channels=_CALLS, allows={S.NO_ANSWER, S.LOST_CONTACT}),
        _code("LOST", "失联", _NO_TALK + _DEAD, channels=_CALLS, implies=S.LOST_CONTACT, requires={F.NOTES}),
        _code("DNC", "要求勿再来电", (R.DO_NOT_CALL_REQUESTED,), channels=_CALLS, requires={F.NOTES}),
        _code("DISP", "争议/投诉风险", (R.CONNECTED, R.DO_NOT_CALL_REQUESTED, R.VISIT_MET), implies=S.DISPUTE,
              requires={F.DISPUTE_REASON}),
        _code("DEC", "死亡", _ABOUT_DEBTOR, implies=S.DECEASED, requires={F.NOTES}),
        _code("JAIL", "入狱", _ABOUT_DEBTOR, implies=S.INCARCERATED, requires={F.NOTES}),
        _code("FRAUD", "伪冒", _ABOUT_DEBTOR, implies=S.FRAUD_CLAIM, requires={F.NOTES}),
        _code("PAID", "称已还款待核实", _ABOUT_DEBTOR, requires={F.CLAIMED_REPAYMENT}),
        _code("NEW", "获取新联系方式", _ABOUT_DEBTOR, requires={F.NEW_CONTACT},
              allows={S.REACHABLE_SELF, S.REACHABLE_THIRD_PARTY, S.FOUND, S.SKIP_TRACE}),
        _code("VREQ", "申请外访", tuple(RESULTS_BY_CHANNEL[Channel.OUTBOUND_CALL]), channels=_CALLS,
              implies=S.FIELD_VISIT_REQUESTED, requires={F.NOTES}),
        _code("VISIT", "外访结果", tuple(RESULTS_BY_CHANNEL[Channel.VISIT]), channels={Channel.VISIT},
              implies=S.FIELD_VISIT_DONE),
        _code("SMS", "短信", (R.SMS_SENT, R.SMS_FAILED), channels={Channel.SMS}),
        _code("LTR", "信函", (R.LETTER_SENT, R.LETTER_RETURNED), channels={Channel.LETTER}),
    ))
