"""EngineCompliance: the planner's `VisitCompliance` protocol answered by the shared engine
(`recoup_shared.compliance.decide`, channel=visit) — one rule set for calls and visits.

What a visit proposal is asked (all by the engine, with the case's effective policy and zones):
- holds stop every visit (R-17 dispute, fraud claim, do-not-contact; R-47 serious complaint);
- teams of at least two, at most two at a special-population debtor's door (R-36, R-16);
- workplace visits only on working days (R-36);
- the caps counted in debtor-local days: 2 visits per case per day (R-15), one visit in 7 days for a
  special population (R-16) — with the history of visits done or planned, and the proposals this
  session already took (`commit`);
- the R-14 window: the engine decides at the proposal's start; the whole span [start, end) must also
  lie inside one window of its day in every zone of the debtor (a planner band 18:00–21:00 against a
  client window ending 20:00 is refused, although 18:00 itself is open).
A cap counts backwards from the day asked about, so a visit planned LATER in the same 7 days (e.g.
one planned ahead) is asked again with this one added: a proposal that would put a later visit over
a cap is refused too ("any 7 consecutive days").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from recoup_shared.calendar import DEFAULT_CALENDAR, WorkingCalendar
from recoup_shared.compliance import (
    RULES,
    Attempt,
    Channel,
    EffectivePolicy,
    LocalZones,
    Reason,
    Request,
    VisitPlace,
    decide,
)

from .compliance import Refusal, Verdict, VisitProposal
from .model import Place

_PLACES = {Place.WORKPLACE: VisitPlace.WORKPLACE, Place.HOME: VisitPlace.HOME}
_CAP_RULES = frozenset(r for r in RULES if r.startswith("cap.") or r.endswith(".visits_per_week"))
_DAY = 86400


@dataclass(frozen=True, slots=True)
class CasePolicy:
    """What the engine needs about one case: its effective policy and the debtor's zones."""

    policy: EffectivePolicy
    zones: LocalZones


def _refusal(r: Reason) -> Refusal:
    return Refusal(code=r.rule, detail=r.detail, ref=r.ref, limit=r.limit, count=r.count,
                   next_allowed=r.next_allowed)


def _seconds(t: datetime) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def window_reason(cp: CasePolicy, start: datetime, end: datetime,
                  calendar: WorkingCalendar) -> Reason | None:
    """R-14: [start, end) inside one window of its day, in every zone of the debtor."""
    table = cp.policy.windows
    for zone in cp.zones.zones:
        a, b = start.astimezone(zone), end.astimezone(zone)
        s = _seconds(a)
        e = _seconds(b) + (1 if b.microsecond else 0) + (b.date() - a.date()).days * _DAY
        if end < start or not any(lo <= s and e <= hi for lo, hi in table.intervals(a.date(), calendar)):
            return Reason(rule="window.outside", ref=cp.policy.window_ref, zone=zone.key,
                          detail=f"{a:%H:%M}-{b:%H:%M} on {a.date()} in {zone.key} is not within "
                                 f"{table.describe(a.date(), calendar)}")
    return None


class EngineCompliance:
    """VisitCompliance over `compliance.decide`. `policy_of(proposal)` gives the case's policy and
    zones; `history` holds (case_id, Attempt) of visits done or planned outside this session."""

    def __init__(self, policy_of: Callable[[VisitProposal], CasePolicy],
                 history: Iterable[tuple[str, Attempt]] = (),
                 calendar: WorkingCalendar | None = None) -> None:
        self.policy_of = policy_of
        self.calendar = calendar or DEFAULT_CALENDAR
        self._history: dict[str, list[Attempt]] = defaultdict(list)
        for case_id, attempt in history:
            self._history[case_id].append(attempt)

    def _request(self, p: VisitProposal) -> Request:
        return Request(at=p.start, channel=Channel.VISIT, agents=len(p.agent_ids),
                       place=_PLACES.get(p.place) if p.place is not None else None)

    def check(self, p: VisitProposal) -> Verdict:
        cp = self.policy_of(p)
        history = self._history.get(p.case_id, [])
        decision = decide(cp.policy, cp.zones, history, self._request(p), calendar=self.calendar)
        reasons = list(decision.reasons)
        if not any(r.rule == "window.outside" for r in reasons):
            outside = window_reason(cp, p.start, p.end, self.calendar)
            if outside is not None:
                reasons.append(outside)
        if not any(r.rule in _CAP_RULES for r in reasons):
            reasons += self._later_over_cap(cp, history, p)
        if not reasons:
            return Verdict(policy_fingerprint=cp.policy.fingerprint)
        return Verdict(tuple(_refusal(r) for r in reasons), cp.policy.fingerprint)

    def commit(self, p: VisitProposal) -> None:
        self._history[p.case_id].append(self.attempt(p))

    @staticmethod
    def attempt(p: VisitProposal) -> Attempt:
        """The reservation a taken proposal stands for (its start; the agents who go)."""
        return Attempt(at=p.start, channel=Channel.VISIT, agents=len(p.agent_ids))

    def _later_over_cap(self, cp: CasePolicy, history: list[Attempt],
                        p: VisitProposal) -> list[Reason]:
        """Visits already booked on later days within the longest visit cap: would this one put
        any of them over a cap?"""
        spans = [c.days for c in cp.policy.caps if c.channel == Channel.VISIT and c.days > 1]
        if not spans or not history:
            return []
        horizon = p.start + timedelta(days=max(spans))
        first_later = p.start.astimezone(cp.zones.primary).replace(
            hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        later = [a for a in history if first_later <= a.at <= horizon and a.channel == Channel.VISIT]
        mine = self.attempt(p)
        for a in sorted(later, key=lambda a: a.at):
            others = [h for h in history if h is not a] + [mine]
            req = Request(at=a.at, channel=Channel.VISIT, agents=a.agents)
            caps = [r for r in decide(cp.policy, cp.zones, others, req, calendar=self.calendar).reasons
                    if r.rule in _CAP_RULES]
            if caps:
                day = a.at.astimezone(cp.zones.primary).date()
                return [Reason(rule=r.rule, ref=r.ref, limit=r.limit, count=r.count, zone=r.zone,
                               detail=f"{r.detail} (a visit already booked on {day} would exceed it)")
                        for r in caps]
        return []
