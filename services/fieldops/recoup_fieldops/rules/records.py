"""What a visit record holds and when it is coherent (R-37), and what it tells contact (R-38).

Seed 004 (外访基本工作内容): 抵达后首先核实地址并做相应的记录; 拍摄门牌照片; 如遇无人应答, 转向相邻住户;
实地考察小区物业管理部门、传达室; 与债务人的家属取得联系 … 探询他们是否有意愿代为偿还. So a record says who
went, when they arrived and left, whether the address was verified, whom they met (the debtor, a
relative, a neighbour, the property office, a colleague, or nobody), the outcome, a promise if one
was obtained (from the debtor or a relative paying for them), a new address or phone learned on the
spot, and the next step. Evidence (door-plate photo, audio, video) is uploaded beside it.

`validate_record` returns every problem at once ([{field, reason}], answered 422), never the first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from recoup_shared.identifiers import PhoneError, parse_phone
from recoup_shared.vocabulary import ContactStatus

from .errors import InvalidRecord
from .model import SHANGHAI


class Met(StrEnum):
    """R-37: whom the agents met (访谈对象)."""

    DEBTOR = "debtor"
    RELATIVE = "relative"
    NEIGHBOUR = "neighbour"
    PROPERTY_OFFICE = "property_office"      # 物业 / 传达室 / 居委会
    COLLEAGUE = "colleague"
    NOBODY = "nobody"


class Outcome(StrEnum):
    PROMISE_TO_PAY = "promise_to_pay"        # 承诺还款: amount and date (R-23 PTP)
    DEBTOR_MET = "debtor_met"                # met the debtor, no promise
    MESSAGE_LEFT = "message_left"            # a third party passes the message on
    NOTICE_DELIVERED = "notice_delivered"    # 送达通知 / 律师函 (purpose deliver_notice)
    REFUSED_TO_TALK = "refused_to_talk"
    NOBODY_HOME = "nobody_home"
    ADDRESS_INVALID = "address_invalid"      # 地址不存在 / 已搬离


class NextStep(StrEnum):
    FOLLOW_UP_CALL = "follow_up_call"        # the phone collector follows up (R-38, next day)
    REVISIT = "revisit"
    SKIP_TRACE = "skip_trace"                # 信息修复
    LEGAL_REVIEW = "legal_review"
    REPORT_TO_CLIENT = "report_to_client"    # e.g. a dispute raised at the door
    NONE = "none"


# What contact's R-22 record vocabulary calls the visit (recoup_contact.rules.model.Result).
RESULT_MET, RESULT_NOT_MET, RESULT_ADDRESS_INVALID = "visit_met", "visit_not_met", "visit_address_invalid"


@dataclass(frozen=True, slots=True)
class Promise:
    amount: Decimal
    due_on: date


@dataclass(frozen=True, slots=True)
class NewAddress:
    kind: str                                # home | work | household_registration | other
    province: str
    city: str
    district: str
    line: str


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """A record; a draft may leave out the times and agents marked on arrival and departure."""

    address_verified: bool
    met: tuple[Met, ...]
    outcome: Outcome
    next_step: NextStep
    agent_ids: tuple[str, ...] = ()
    arrived_at: datetime | None = None
    left_at: datetime | None = None
    promise: Promise | None = None
    new_address: NewAddress | None = None
    new_phone: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RecordConfig:
    max_visit_hours: int = 12            # a longer "visit" is a typo in a time
    max_promise_days: int = 90           # a promise further out is no promise (R-23 PTP)
    max_promise_amount: Decimal = Decimal("100000000")
    zone: ZoneInfo = SHANGHAI


_NOBODY_OUTCOMES = frozenset({Outcome.NOBODY_HOME, Outcome.ADDRESS_INVALID, Outcome.NOTICE_DELIVERED})


def _times(r: VisitRecord, cfg: RecordConfig, errors: list[dict[str, str]]) -> None:
    if r.arrived_at is None or r.left_at is None:
        errors.append({"field": "arrived_at" if r.arrived_at is None else "left_at",
                       "reason": "arrival and departure times are needed"})
        return
    if r.arrived_at.tzinfo is None or r.left_at.tzinfo is None:
        errors.append({"field": "arrived_at", "reason": "times need a UTC offset"})
        return
    if r.left_at < r.arrived_at:
        errors.append({"field": "left_at", "reason": "departure before arrival"})
    elif r.left_at - r.arrived_at > timedelta(hours=cfg.max_visit_hours):
        errors.append({"field": "left_at", "reason": f"a visit lasts at most {cfg.max_visit_hours} hours"})


def _met_and_outcome(r: VisitRecord, errors: list[dict[str, str]]) -> None:
    met = set(r.met)
    if not met:
        errors.append({"field": "met", "reason": "say whom the agents met (or nobody)"})
    elif Met.NOBODY in met and len(met) > 1:
        errors.append({"field": "met", "reason": "nobody excludes the others"})
    if met == {Met.NOBODY} and r.outcome not in _NOBODY_OUTCOMES:
        errors.append({"field": "outcome", "reason": f"{r.outcome.value} needs someone met"})
    if r.outcome is Outcome.DEBTOR_MET and Met.DEBTOR not in met:
        errors.append({"field": "outcome", "reason": "debtor_met needs the debtor among whom they met"})
    if r.outcome is Outcome.ADDRESS_INVALID and r.address_verified:
        errors.append({"field": "address_verified", "reason": "an invalid address is not verified"})
    if (r.outcome is Outcome.PROMISE_TO_PAY) != (r.promise is not None):
        errors.append({"field": "promise", "reason": "a promise goes with the outcome promise_to_pay"})


def _promise(r: VisitRecord, cfg: RecordConfig, errors: list[dict[str, str]]) -> None:
    p = r.promise
    if p is None or r.arrived_at is None or r.arrived_at.tzinfo is None:
        return
    if p.amount <= 0 or p.amount > cfg.max_promise_amount or p.amount != p.amount.quantize(Decimal("0.01")):
        errors.append({"field": "promise.amount", "reason": "a positive amount with at most two decimals"})
    day = r.arrived_at.astimezone(cfg.zone).date()
    if not day <= p.due_on <= day + timedelta(days=cfg.max_promise_days):
        errors.append({"field": "promise.due_on",
                       "reason": f"from the visit day to {cfg.max_promise_days} days after it"})


def validate_record(r: VisitRecord, cfg: RecordConfig = RecordConfig()) -> VisitRecord:
    """R-37: the record, its phone normalised; InvalidRecord with every problem otherwise."""
    errors: list[dict[str, str]] = []
    _times(r, cfg, errors)
    _met_and_outcome(r, errors)
    _promise(r, cfg, errors)
    phone = r.new_phone
    if phone is not None:
        try:
            phone = parse_phone(phone).number
        except PhoneError as exc:
            errors.append({"field": "new_phone", "reason": str(exc) or "not a phone number"})
    if errors:
        raise InvalidRecord("the visit record is not coherent", errors=errors)
    return r if phone == r.new_phone else replace(r, new_phone=phone)


def contact_result(r: VisitRecord) -> str:
    """R-38: the record as contact's visit result (met / not met / address invalid)."""
    if r.outcome is Outcome.ADDRESS_INVALID:
        return RESULT_ADDRESS_INVALID
    return RESULT_NOT_MET if set(r.met) <= {Met.NOBODY} else RESULT_MET


def status_after(r: VisitRecord) -> str:
    """R-22/R-38: a recorded visit puts the case in FIELD_VISIT_DONE (follow-up the next day)."""
    return ContactStatus.FIELD_VISIT_DONE.value
