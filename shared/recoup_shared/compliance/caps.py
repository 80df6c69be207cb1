"""Counting rules: "at most N of these in D consecutive debtor-local days", and the minimum interval.

One shape covers the R-15 daily caps (D = 1), the R-16 special-population limits (one call in 2 days,
one visit in 7), and both Reg F frequencies (7 calls in 7 days; no call in the 7 days that start
with the day of a conversation = at most 0 further calls once 1 conversation is in the window). Days
are the debtor's calendar days — local midnight, never the server's — counted in every zone the case
resolves to, so a cap holds whichever clock the debtor lives by.

A PENDING attempt (a reservation whose call has not ended) counts as connected: fifty concurrent dials
cannot turn into more effective calls than the cap.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from .catalog import RULES
from .model import Attempt, Channel, Direction, Exemption, Group, Outcome, Reason, Request
from .windows import local_midnight


class Scope(StrEnum):
    CASE = "case"
    CONTACT_POINT = "contact_point"
    CONTACT_PERSON = "contact_person"
    PERSON = "person"   # Reg F: the debtor or one contact person, whatever number is dialled


ANY_OUTCOME = frozenset(Outcome)
EFFECTIVE = frozenset({Outcome.CONNECTED, Outcome.PENDING})
REACHED_NUMBER = ANY_OUTCOME - {Outcome.NOT_CONNECTED}   # Reg F 1006.14(b)(3)(ii) excludes the rest


@dataclass(frozen=True, slots=True)
class DayCap:
    rule: str
    limit: int
    days: int
    channel: Channel
    outcomes: frozenset[Outcome]
    scope: Scope
    group: Group
    inbound_counts: bool = False   # only conversations: the debtor calling in still "had a conversation"
    ignore_exemptions: bool = False

    @property
    def ref(self) -> str:
        return RULES[self.rule].ref

    def applies_to(self, request: Request) -> bool:
        if request.channel != self.channel:
            return False
        if self.scope == Scope.CONTACT_POINT:
            return request.contact_point is not None
        if self.scope == Scope.CONTACT_PERSON:
            return request.contact_person is not None
        return True

    def matching(self, attempts: Sequence[Attempt], request: Request,
                 skips: Mapping[Exemption, frozenset[Group]]) -> list[int]:
        """Indices of the attempts this cap counts for `request` (one pass; on the gate's hot path)."""
        outcomes, group, channel = self.outcomes, self.group, self.channel
        inbound_ok, ignore_ex = self.inbound_counts, self.ignore_exemptions
        scope = self.scope
        if scope == Scope.CONTACT_POINT:
            want, key = request.contact_point, lambda a: a.contact_point
        elif scope == Scope.CONTACT_PERSON:
            want, key = request.contact_person, lambda a: a.contact_person
        elif scope == Scope.PERSON:
            want, key = request.person(), Attempt.person
        else:
            want, key = None, lambda a: None
        return [i for i, a in enumerate(attempts)
                if a.channel == channel and a.outcome in outcomes
                and (inbound_ok or a.direction != Direction.INBOUND)
                and (ignore_ex or a.exemption is None or group not in skips[a.exemption])
                and key(a) == want]


def build_caps(v: Mapping[str, Any]) -> tuple[DayCap, ...]:
    """The counting rules a flat policy switches on (a null limit switches one off)."""
    specs: list[tuple[str, Any, int, Channel, frozenset[Outcome], Scope, Group, bool]] = [
        # per case per debtor-local day
        ("cap.effective_calls_per_day", v["caps.effective_calls_per_day"], 1, Channel.CALL, EFFECTIVE,
         Scope.CASE, Group.CAP, False),
        ("cap.call_attempts_per_day", v["caps.call_attempts_per_day"], 1, Channel.CALL, ANY_OUTCOME,
         Scope.CASE, Group.CAP, False),
        ("cap.visits_per_day", v["caps.visits_per_day"], 1, Channel.VISIT, ANY_OUTCOME,
         Scope.CASE, Group.CAP, False),
        ("cap.sms_per_day", v["caps.sms_per_day"], 1, Channel.SMS, ANY_OUTCOME, Scope.CASE, Group.CAP, False),
        ("cap.calls_per_contact_point_per_day", v["caps.calls_per_contact_point_per_day"], 1, Channel.CALL,
         ANY_OUTCOME, Scope.CONTACT_POINT, Group.CAP, False),
        ("cap.calls_per_contact_person_per_day", v["caps.calls_per_contact_person_per_day"], 1,
         Channel.CALL, ANY_OUTCOME, Scope.CONTACT_PERSON, Group.CAP, False),
        # 12 CFR 1006.14(b)(2)(i)(A)/(B), per particular person
        ("regf.seven_in_seven", v["regf.calls_per_period"], v["regf.call_period_days"], Channel.CALL,
         REACHED_NUMBER, Scope.PERSON, Group.REGF, False),
        ("regf.after_conversation", 1 if v["regf.conversation_quiet_days"] else None,
         v["regf.conversation_quiet_days"] or 1, Channel.CALL, EFFECTIVE, Scope.PERSON, Group.REGF, True),
    ]
    if v["special_population.kind"]:   # R-16, only for a case flagged special
        specs += [
            ("special_population.call_interval", v["special_population.calls_per_period"],
             v["special_population.call_period_days"], Channel.CALL, ANY_OUTCOME, Scope.CASE,
             Group.SPECIAL_POPULATION, False),
            ("special_population.visits_per_week", v["special_population.visits_per_period"],
             v["special_population.visit_period_days"], Channel.VISIT, ANY_OUTCOME, Scope.CASE,
             Group.SPECIAL_POPULATION, False),
        ]
    return tuple(DayCap(rule, limit, days, ch, outs, scope, group, inbound_counts=conv,
                        ignore_exemptions=conv)
                 for rule, limit, days, ch, outs, scope, group, conv in specs if limit is not None)


def day_of(t: datetime, zone: ZoneInfo) -> int:
    return t.astimezone(zone).toordinal()


def _in_window(days: Sequence[int], first: int, last: int) -> int:
    return bisect_right(days, last) - bisect_left(days, first)


def _first_clear_day(days: Sequence[int], today: int, span: int, limit: int) -> int | None:
    """The first day after `today` whose D-day window holds fewer than `limit` counted attempts."""
    if limit <= 0:
        return None   # a cap of 0 never clears by waiting
    end = max(days[-1] if days else today, today) + span + 1
    for d in range(today + 1, end + 1):
        if _in_window(days, d - span + 1, d) < limit:
            return d
    return None


def cap_reason(cap: DayCap, days_by_zone: Sequence[Sequence[int]], t: datetime,
               zones: Sequence[ZoneInfo]) -> Reason | None:
    """Refused if the cap is reached in any zone's day; clears when it has cleared in all of them."""
    worst: tuple[int, str] | None = None
    latest: datetime | None = None
    never = False
    for z, days in zip(zones, days_by_zone):
        today = day_of(t, z)
        n = _in_window(days, today - cap.days + 1, today)
        if n < cap.limit:
            continue
        if worst is None or n > worst[0]:
            worst = (n, z.key)
        clear = _first_clear_day(days, today, cap.days, cap.limit)
        if clear is None:
            never = True
        else:
            at = local_midnight(clear, z)
            latest = at if latest is None or at > latest else latest
    if worst is None:
        return None
    span = "debtor-local day" if cap.days == 1 else f"{cap.days} consecutive debtor-local days"
    return Reason(rule=cap.rule, ref=cap.ref, limit=cap.limit, count=worst[0], zone=worst[1],
                  next_allowed=None if never else latest,
                  detail=f"{RULES[cap.rule].what}: {worst[0]} of at most {cap.limit} in the {span}")


def interval_reason(times: Sequence[datetime], minutes: int, t: datetime) -> Reason | None:
    """R-15 minimum interval between call attempts on the case (`times` sorted)."""
    gap = timedelta(minutes=minutes)
    lo, hi = bisect_right(times, t - gap), bisect_left(times, t + gap)
    if lo >= hi:
        return None
    return Reason(rule="interval.min_between_calls", ref=RULES["interval.min_between_calls"].ref,
                  limit=minutes, count=hi - lo, next_allowed=times[hi - 1] + gap,
                  detail=f"less than {minutes} min since the last call attempt")
