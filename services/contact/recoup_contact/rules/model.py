"""The contact vocabulary: statuses, channels, parties, results, contact-point states and kinds.

Values are lower/upper-case ASCII slugs that appear unchanged in the API, the database and the
`contact.logged` payload; the Chinese words are the collectors' own (seeds 000, 004).
"""
from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, model_validator
from recoup_shared.vocabulary import ContactStatus

__all__ = [
    "ContactStatus",
    "ACTIVE_STATUSES",
    "Channel",
    "CALL_CHANNELS",
    "Party",
    "Result",
    "RESULTS_BY_CHANNEL",
    "PointState",
    "PointKind",
    "PHONE_KINDS",
    "Relationship",
    "FAMILY",
    "Calendar",
    "ConfigModel",
    "TimeBand",
    "DEFAULT_ZONE",
    "local_time",
]

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")  # business dates and windows are in the debtor's zone


# R-22 statuses: ContactStatus from recoup_shared.vocabulary (one list for every service). In the
# collectors' words: PTP 承诺还款, PTP_INSTALMENT 分期还款, BROKEN_PTP 爽约, REACHABLE_SELF 本人可联,
# REACHABLE_THIRD_PARTY 联系人可联, NO_ANSWER 暂无人接听, LOST_CONTACT 失联, SKIP_TRACE 户籍跟催,
# FOUND 查找到本人, DECEASED 死亡, INCARCERATED 入狱, FRAUD_CLAIM 伪冒, DISPUTE 争议/停催,
# NIGHT_FOLLOW_UP 夜间跟催, URGENT 紧急案件, FIELD_VISIT_REQUESTED 外访申请, FIELD_VISIT_DONE 外访完成.

# Every status except DISPUTE keeps collection going and therefore has a next follow-up.
ACTIVE_STATUSES = frozenset(ContactStatus) - {ContactStatus.DISPUTE}


class Channel(StrEnum):
    OUTBOUND_CALL = "outbound_call"   # 外呼
    INBOUND_CALL = "inbound_call"     # 来电 (R-15: exempt from the daily caps)
    SMS = "sms"                       # approved SMS templates only
    VISIT = "visit"                   # arrives from fieldops (visit.completed)
    LETTER = "letter"                 # arrives from letters (letter.dispatched / letter.returned)


CALL_CHANNELS = frozenset({Channel.OUTBOUND_CALL, Channel.INBOUND_CALL})


class Party(StrEnum):
    DEBTOR = "debtor"                   # 本人
    CONTACT_PERSON = "contact_person"   # 联系人 listed by the debtor
    THIRD_PARTY = "third_party"         # anyone else reached (colleague, neighbour, committee ...)


class Result(StrEnum):
    # calls (outbound and inbound)
    CONNECTED = "connected"                          # 接通, a conversation with the intended party
    CALLBACK_REQUESTED = "callback_requested"        # 接通, asked to be called back later
    DO_NOT_CALL_REQUESTED = "do_not_call_requested"  # 接通, asked not to be called again
    NO_ANSWER = "no_answer"                          # 无人接听
    BUSY = "busy"                                    # 占线
    SWITCHED_OFF = "switched_off"                    # 关机
    EMPTY_NUMBER = "empty_number"                    # 空号
    SUSPENDED = "suspended"                          # 停机
    WRONG_PARTY = "wrong_party"                      # 非本人 / 号码易主
    REFUSED = "refused"                              # 拒接 (rejected the call)
    HUNG_UP = "hung_up"                              # 接通即挂断, no conversation
    # sms
    SMS_SENT = "sms_sent"
    SMS_FAILED = "sms_failed"
    # visits (from fieldops)
    VISIT_MET = "visit_met"                          # met the debtor or a relative/colleague
    VISIT_NOT_MET = "visit_not_met"                  # nobody met at a valid address
    VISIT_ADDRESS_INVALID = "visit_address_invalid"  # address does not exist / moved out
    # letters (from letters)
    LETTER_SENT = "letter_sent"
    LETTER_RETURNED = "letter_returned"              # 退函


_CALL_RESULTS = frozenset({
    Result.CONNECTED, Result.CALLBACK_REQUESTED, Result.DO_NOT_CALL_REQUESTED, Result.NO_ANSWER,
    Result.BUSY, Result.SWITCHED_OFF, Result.EMPTY_NUMBER, Result.SUSPENDED, Result.WRONG_PARTY,
    Result.REFUSED, Result.HUNG_UP,
})
# An inbound call is always answered by us: only the conversation results make sense.
_INBOUND_RESULTS = frozenset({Result.CONNECTED, Result.CALLBACK_REQUESTED,
                              Result.DO_NOT_CALL_REQUESTED, Result.WRONG_PARTY, Result.HUNG_UP})
RESULTS_BY_CHANNEL: dict[Channel, frozenset[Result]] = {
    Channel.OUTBOUND_CALL: _CALL_RESULTS,
    Channel.INBOUND_CALL: _INBOUND_RESULTS,
    Channel.SMS: frozenset({Result.SMS_SENT, Result.SMS_FAILED}),
    Channel.VISIT: frozenset({Result.VISIT_MET, Result.VISIT_NOT_MET, Result.VISIT_ADDRESS_INVALID}),
    Channel.LETTER: frozenset({Result.LETTER_SENT, Result.LETTER_RETURNED}),
}


class PointState(StrEnum):
    """State of a contact point (a phone or an address)."""

    UNKNOWN = "unknown"
    VALID = "valid"
    WRONG_PARTY = "wrong_party"
    EMPTY_NUMBER = "empty_number"      # 空号
    SUSPENDED = "suspended"            # 停机
    SWITCHED_OFF = "switched_off"      # 关机 (temporary)
    DO_NOT_CALL = "do_not_call"        # asked not to be called; never lifted by a result
    UNDELIVERABLE = "undeliverable"    # addresses: letter returned / address not found
    INVALID = "invalid"                # malformed when it arrived; kept, never dialled or written to


class PointKind(StrEnum):
    MOBILE = "mobile"
    HOME = "home"                      # 家庭电话 / 住宅电话
    WORK = "work"                      # 单位电话
    OTHER_PHONE = "other_phone"
    ADDRESS = "address"                # household registration, home, work ... (letters, visits)


PHONE_KINDS = frozenset({PointKind.MOBILE, PointKind.HOME, PointKind.WORK, PointKind.OTHER_PHONE})


class Relationship(StrEnum):
    SELF = "self"
    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    RELATIVE = "relative"
    COLLEAGUE = "colleague"
    FRIEND = "friend"
    EMPLOYER = "employer"                    # 单位
    VILLAGE_COMMITTEE = "village_committee"  # 村委会 / 居委会
    OTHER = "other"


FAMILY = frozenset({Relationship.SPOUSE, Relationship.PARENT, Relationship.CHILD,
                    Relationship.SIBLING, Relationship.RELATIVE})


class Calendar(Protocol):
    """What the rules need from `recoup_shared.calendar.WorkingCalendar`."""

    def is_working_day(self, day: date) -> bool: ...
    def add_working_days(self, day: date, n: int) -> date: ...
    def next_working_day(self, day: date) -> date: ...
    def working_days_between(self, start: date, end: date) -> int: ...


class ConfigModel(BaseModel):
    """Base of every per-client configuration object: immutable, strict about unknown keys, and
    stored as jsonb with `model_dump(mode="json")` / read back with `model_validate`."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeBand(ConfigModel):
    """A local-time band [start, end) of the day, e.g. 18:00-21:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> TimeBand:
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end


def local_time(at: datetime, zone: ZoneInfo) -> datetime:
    """`at` (timezone-aware) in the debtor's zone; a naive datetime is refused (never guess a zone)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return at.astimezone(zone)
