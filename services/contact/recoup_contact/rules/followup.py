"""R-22: the case status sets the next follow-up date, on the Chinese working-day calendar.

The table is per-client configuration (`FollowUpConfig`) with the R-22 defaults; a client stores only
the statuses it changes (missing ones keep the default). Bounds hold for every accepted table:
URGENT never later than 3 working days, DISPUTE has no follow-up, every other status has exactly one.

Each rule gives a window of acceptable dates [earliest, latest] and a default date `on` inside it; a
collector may pick another working day in the window. Calendar-day rules ("every 2 days") roll a
date that falls on a holiday forward to the next working day: nobody works then to do the call.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from .errors import FieldError, InvalidFollowUp
from .model import DEFAULT_ZONE, Calendar, ConfigModel, ContactStatus, TimeBand, local_time

__all__ = [
    "FollowUpKind",
    "FollowUpRule",
    "FollowUpConfig",
    "FollowUpFacts",
    "FollowUp",
    "URGENT_MAX_WORKING_DAYS",
    "MAX_FOLLOW_UP_DAYS",
    "next_follow_up",
    "previous_working_day",
    "roll_forward",
]

URGENT_MAX_WORKING_DAYS = 3   # URGENT "within 1–3 working days, never later" — a bound, not a setting
MAX_FOLLOW_UP_DAYS = 30       # sanity bound on any configured gap (R-20 wants contact every 4 WD anyway)


class FollowUpKind(StrEnum):
    BEFORE_PROMISE = "before_promise"       # `default` working days before the promise/instalment date
    WORKING_DAYS = "working_days"           # n working days after the record
    CALENDAR_DAYS = "calendar_days"         # n days after the record, rolled forward to a working day
    SAME_DAY_EVENING = "same_day_evening"   # today, in the evening window
    NONE = "none"                           # no follow-up until someone instructs (DISPUTE)


class FollowUpRule(ConfigModel):
    kind: FollowUpKind
    earliest: int = Field(default=1, ge=0, le=MAX_FOLLOW_UP_DAYS)
    default: int = Field(default=1, ge=0, le=MAX_FOLLOW_UP_DAYS)
    latest: int = Field(default=1, ge=0, le=MAX_FOLLOW_UP_DAYS)
    skip_trace: bool = False       # LOST_CONTACT: the case also goes to skip tracing
    different_slot: bool = False   # NO_ANSWER: try another time band than the last attempt

    @model_validator(mode="after")
    def _window(self) -> FollowUpRule:
        if not self.earliest <= self.default <= self.latest:
            raise ValueError("need earliest <= default <= latest")
        return self


def _r(kind: FollowUpKind, earliest: int = 1, default: int | None = None, latest: int | None = None,
       **flags: Any) -> FollowUpRule:
    default = earliest if default is None else default
    return FollowUpRule(kind=kind, earliest=earliest, default=default,
                        latest=default if latest is None else latest, **flags)


_WD, _CD = FollowUpKind.WORKING_DAYS, FollowUpKind.CALENDAR_DAYS
_DEFAULT_BANDS = (
    TimeBand(start=time(8), end=time(12)), TimeBand(start=time(12), end=time(14)),
    TimeBand(start=time(14), end=time(18)), TimeBand(start=time(18), end=time(21)),
)
_EARLIEST_CALL, _LATEST_CALL = time(8), time(21)   # never outside 08:00–21:00


class FollowUpConfig(ConfigModel):
    """R-22 table (one field per status) plus the time bands NO_ANSWER and NIGHT_FOLLOW_UP use."""

    PTP: FollowUpRule = _r(FollowUpKind.BEFORE_PROMISE, 1)                    # the day before the promise
    PTP_INSTALMENT: FollowUpRule = _r(FollowUpKind.BEFORE_PROMISE, 1)         # the day before the next instalment
    BROKEN_PTP: FollowUpRule = _r(_WD, 1)                                     # next working day
    REACHABLE_SELF: FollowUpRule = _r(_WD, 1, 4)                              # within 4 working days
    REACHABLE_THIRD_PARTY: FollowUpRule = _r(_WD, 1, 4)
    NO_ANSWER: FollowUpRule = _r(_WD, 1, different_slot=True)                 # next WD, another time slot
    LOST_CONTACT: FollowUpRule = _r(_WD, 6, 6, 7, skip_trace=True)            # 6–7 WD + skip tracing
    SKIP_TRACE: FollowUpRule = _r(_CD, 2)                                     # every 2 days (两天一轮)
    FOUND: FollowUpRule = _r(_WD, 1)                                          # next working day
    DECEASED: FollowUpRule = _r(_CD, 2, 2, 3)                                 # every 2–3 days
    INCARCERATED: FollowUpRule = _r(_CD, 2, 2, 3)
    FRAUD_CLAIM: FollowUpRule = _r(_CD, 2, 2, 3)
    DISPUTE: FollowUpRule = _r(FollowUpKind.NONE, 0)                          # none until the client instructs
    NIGHT_FOLLOW_UP: FollowUpRule = _r(FollowUpKind.SAME_DAY_EVENING, 0)      # same day, evening window
    URGENT: FollowUpRule = _r(_WD, 1, 1, 3)                                   # 1–3 WD, never later
    FIELD_VISIT_REQUESTED: FollowUpRule = _r(_CD, 1, 5, 5)                    # seeds: forced after 5 days unvisited
    FIELD_VISIT_DONE: FollowUpRule = _r(_WD, 1)                               # visit done → next day
    time_bands: tuple[TimeBand, ...] = _DEFAULT_BANDS
    evening: TimeBand = TimeBand(start=time(18), end=time(21))

    def rule(self, status: ContactStatus) -> FollowUpRule:
        return getattr(self, status.value)

    @field_validator(*(s.value for s in ContactStatus))
    @classmethod
    def _status_rule(cls, rule: FollowUpRule, info: Any) -> FollowUpRule:
        problem = _rule_problem(ContactStatus(info.field_name), rule)
        if problem:
            raise ValueError(problem)
        return rule

    @field_validator("time_bands")
    @classmethod
    def _bands(cls, bands: tuple[TimeBand, ...]) -> tuple[TimeBand, ...]:
        if not bands:
            raise ValueError("at least one time band")
        for a, b in zip(bands, bands[1:], strict=False):
            if b.start < a.end:
                raise ValueError("time bands must be ordered and must not overlap")
        if bands[0].start < _EARLIEST_CALL or bands[-1].end > _LATEST_CALL:
            raise ValueError("time bands must lie within 08:00-21:00 (R-14)")
        return bands

    @field_validator("evening")
    @classmethod
    def _evening(cls, band: TimeBand) -> TimeBand:
        if band.start < time(17) or band.end > _LATEST_CALL:   # never after 21:00
            raise ValueError("the evening window must lie within 17:00-21:00")
        return band


_FIXED_KINDS = {
    ContactStatus.PTP: FollowUpKind.BEFORE_PROMISE,
    ContactStatus.PTP_INSTALMENT: FollowUpKind.BEFORE_PROMISE,
    ContactStatus.DISPUTE: FollowUpKind.NONE,
    ContactStatus.NIGHT_FOLLOW_UP: FollowUpKind.SAME_DAY_EVENING,
}


def _rule_problem(status: ContactStatus, rule: FollowUpRule) -> str | None:
    fixed = _FIXED_KINDS.get(status)
    if fixed is not None and rule.kind is not fixed:
        return f"{status} must use kind {fixed.value!r}"
    if fixed is None and rule.kind not in (_WD, _CD):
        return f"{status} must use kind 'working_days' or 'calendar_days'"   # every active case gets a date
    if status is ContactStatus.URGENT:
        if rule.kind is not _WD:
            return "URGENT must be counted in working days"
        if rule.latest > URGENT_MAX_WORKING_DAYS:
            return f"URGENT may not be later than {URGENT_MAX_WORKING_DAYS} working days"
    if rule.kind is FollowUpKind.BEFORE_PROMISE and rule.default > 10:
        return "a reminder more than 10 working days before the promise is not a reminder"
    return None


@dataclass(frozen=True, slots=True)
class FollowUpFacts:
    status: ContactStatus
    today: date                              # the record's day in the debtor's zone
    now: datetime | None = None              # aware; NIGHT_FOLLOW_UP after the evening moves to the next WD
    zone: ZoneInfo = DEFAULT_ZONE
    promise_on: date | None = None           # PTP: promise date; PTP_INSTALMENT: next unpaid instalment
    last_attempt_at: datetime | None = None  # NO_ANSWER: the attempt whose time band to avoid
    visit_done_on: date | None = None        # FIELD_VISIT_DONE: counted from the visit, not the record


@dataclass(frozen=True, slots=True)
class FollowUp:
    status: ContactStatus
    on: date                            # the scheduled next follow-up (the worklist's date)
    earliest: date                      # a collector may choose any working day in [earliest, latest]
    latest: date
    window: TimeBand | None = None      # NIGHT_FOLLOW_UP: the evening window
    avoid: TimeBand | None = None       # NO_ANSWER: the band of the last attempt
    skip_trace: bool = False


def previous_working_day(calendar: Calendar, day: date) -> date:
    """The last working day strictly before `day`."""
    current = day - timedelta(days=1)
    while not calendar.is_working_day(current):
        current -= timedelta(days=1)
    return current


def roll_forward(calendar: Calendar, day: date) -> date:
    """`day` itself if it is a working day, else the next working day."""
    return calendar.add_working_days(day, 0)


def next_follow_up(facts: FollowUpFacts, cfg: FollowUpConfig, calendar: Calendar,
                   requested: date | None = None) -> FollowUp | None:
    """R-22: the next follow-up for a case entering `facts.status`; None only for DISPUTE.

    `requested` is a collector's own choice of date: accepted if it is a working day inside the
    window, otherwise `InvalidFollowUp` (field "next_follow_up_on")."""
    rule = cfg.rule(facts.status)
    if rule.kind is FollowUpKind.NONE:
        if requested is not None:
            raise InvalidFollowUp([FieldError("next_follow_up_on", f"{facts.status} has no follow-up "
                                              "until the client instructs (R-17)")])
        return None
    follow_up = _compute(facts, rule, cfg, calendar)
    if requested is None:
        return follow_up
    problem = _requested_problem(requested, follow_up, calendar)
    if problem:
        raise InvalidFollowUp([FieldError("next_follow_up_on", problem)])
    return FollowUp(follow_up.status, requested, follow_up.earliest, follow_up.latest,
                    follow_up.window, follow_up.avoid, follow_up.skip_trace)


def _compute(facts: FollowUpFacts, rule: FollowUpRule, cfg: FollowUpConfig, calendar: Calendar) -> FollowUp:
    today, status = facts.today, facts.status
    if rule.kind is FollowUpKind.BEFORE_PROMISE:
        on = _before_promise(facts, rule, calendar)
        return FollowUp(status, on, min(calendar.next_working_day(today), on), on)
    if rule.kind is FollowUpKind.SAME_DAY_EVENING:
        on = today
        if facts.now is not None and local_time(facts.now, facts.zone).time() >= cfg.evening.end:
            on = calendar.next_working_day(today)   # logged after the evening: tomorrow's evening
        return FollowUp(status, on, on, on, window=cfg.evening)
    base = today
    if status is ContactStatus.FIELD_VISIT_DONE and facts.visit_done_on is not None:
        base = min(facts.visit_done_on, today)

    def at(n: int) -> date:
        day = (calendar.add_working_days(base, n) if rule.kind is _WD
               else roll_forward(calendar, base + timedelta(days=n)))
        return max(day, roll_forward(calendar, today))

    avoid = None
    if rule.different_slot and facts.last_attempt_at is not None:
        avoid = _band_of(local_time(facts.last_attempt_at, facts.zone).time(), cfg.time_bands)
    return FollowUp(status, at(rule.default), at(rule.earliest), at(rule.latest),
                    avoid=avoid, skip_trace=rule.skip_trace)


def _before_promise(facts: FollowUpFacts, rule: FollowUpRule, calendar: Calendar) -> date:
    if facts.promise_on is None:
        raise InvalidFollowUp([FieldError("promise", f"{facts.status} needs the promise (instalment) date")])
    reminder = facts.promise_on
    for _ in range(rule.default):
        reminder = previous_working_day(calendar, reminder)
    # A promise for tomorrow (or today): the reminder day is past, so follow up on the next working
    # day — the promise date itself, or the day the promise job has already judged it.
    return max(reminder, calendar.next_working_day(facts.today))


def _band_of(t: time, bands: tuple[TimeBand, ...]) -> TimeBand | None:
    return next((b for b in bands if b.contains(t)), None)


def _requested_problem(requested: date, follow_up: FollowUp, calendar: Calendar) -> str | None:
    if not follow_up.earliest <= requested <= follow_up.latest:
        return (f"{follow_up.status} allows a follow-up between {follow_up.earliest.isoformat()} "
                f"and {follow_up.latest.isoformat()}")
    if requested != follow_up.on and not calendar.is_working_day(requested):
        return "the follow-up must fall on a working day"
    return None
