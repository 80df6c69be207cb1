"""The decision: a policy, the debtor's zones, the case's history and a request in; allowed or refused
with every reason and the earliest moment all of them clear.

Pure and fast: no clock (the request carries its moment), no I/O, history already loaded by the
caller (attempts since `policy.horizon` before the moment are enough; older ones are ignored).
Callers persist the reservation (`decision.attempt()`) in the same transaction that read the history,
under a lock on the case, so concurrent requests see each other.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from ..calendar import DEFAULT_CALENDAR
from .caps import cap_reason, day_of, interval_reason
from .catalog import NOTICES, RULES
from .holds import hold_reasons, party_checks, team_checks
from .inheritance import EffectivePolicy
from .model import (Attempt, Channel, Decision, Direction, Exemption, Group, Notice, Outcome, Party,
                    Reason, Request, VisitPlace)
from .windows import is_open, local_midnight, next_open
from .zones import LocalZones, resolve_zones

Check = Callable[[datetime], "Reason | None"]
_MAX_STEPS = 200   # fixpoint guard: every step moves forward to a later reason's clearing time


def decide(policy: EffectivePolicy, zones: LocalZones | None, history: Iterable[Attempt],
           request: Request, *, calendar=None) -> Decision:
    """Evaluates `request` as of `request.at`; side-effect free (evaluate = gate without reserving)."""
    cal = calendar or DEFAULT_CALENDAR
    zones = zones or resolve_zones((), policy.default_zone)
    since = request.at - policy.horizon
    hist = [a for a in history if a.at > since]
    exemption, notices = _exemption(policy, zones, hist, request)
    skipped = policy.skips[exemption] if exemption else frozenset()

    fixed: list[Reason] = hold_reasons(policy)
    party_reasons, party_notices = party_checks(policy, request)
    fixed += party_reasons + team_checks(policy, request)
    notices += party_notices
    if zones.disagree:
        n = NOTICES["zone.sources_disagree"]
        notices.append(Notice("zone.sources_disagree", n.ref,
                              f"{n.what}: only hours acceptable in {', '.join(zones.names)} are allowed"))
    checks = _checks(policy, zones, hist, request, skipped, cal)
    reasons = fixed + [r for c in checks if (r := c(request.at)) is not None]
    common = dict(request=request, notices=tuple(notices), exemption=exemption, zones=zones.names,
                  policy_fingerprint=policy.fingerprint)
    if not reasons:
        return Decision(allowed=True, next_allowed=request.at, **common)
    nxt = None if fixed else _earliest_clear(checks, reasons)
    return Decision(allowed=False, reasons=tuple(_local(r, zones) for r in reasons),
                    next_allowed=nxt.astimezone(zones.primary) if nxt else None, **common)


def replay(policy: EffectivePolicy, zones: LocalZones | None, attempts: Iterable[Attempt], *,
           calendar=None) -> list[tuple[Attempt, Decision]]:
    """Re-checks a recorded history (R-48 quality inspection): each attempt, in time order, is decided
    against the attempts before it. Recorded exemptions are trusted as of their own moment (the gate
    checked them when they were made); a refused pair is a breach to count for its collector."""
    done: list[Attempt] = []
    out: list[tuple[Attempt, Decision]] = []
    for a in sorted(attempts, key=lambda a: a.at):
        req = Request(at=a.at, channel=a.channel, party=a.party, contact_point=a.contact_point,
                      contact_person=a.contact_person, direction=a.direction, exemption=a.exemption,
                      exemption_at=a.at if a.exemption else None, agents=a.agents)
        out.append((a, decide(policy, zones, done, req, calendar=calendar)))
        done.append(a)
    return out


def _checks(policy: EffectivePolicy, zones: LocalZones, hist: Sequence[Attempt], request: Request,
            skipped: frozenset[Group], cal) -> list[Check]:
    """The time-dependent rules that apply to this request, each a function of the moment."""
    out: list[Check] = []
    if Group.WINDOW not in skipped:
        out.append(lambda t: _window(policy, zones, t, cal))
    if request.channel == Channel.VISIT and request.place == VisitPlace.WORKPLACE \
            and policy.workplace_working_days:
        out.append(lambda t: _workplace(zones, t, cal))
    caps = [c for c in policy.caps if c.group not in skipped and c.applies_to(request)]
    if caps:                                                                       # Reg F
        same = [a for a in hist if a.channel == request.channel]
        local_days = [[day_of(a.at, z) for a in same] for z in zones.zones]   # once, not per cap
        for cap in caps:
            idx = cap.matching(same, request, policy.skips)
            days = [sorted(ds[i] for i in idx) for ds in local_days]
            out.append(lambda t, cap=cap, days=days: cap_reason(cap, days, t, zones.zones))
    if policy.min_interval and request.channel == Channel.CALL and Group.INTERVAL not in skipped:
        times = sorted(a.at for a in hist if a.channel == Channel.CALL and a.direction == Direction.OUTBOUND
                       and not (a.exemption and Group.INTERVAL in policy.skips[a.exemption]))
        out.append(lambda t: interval_reason(times, policy.min_interval, t))
    return out


def _earliest_clear(checks: Sequence[Check], reasons: Sequence[Reason]) -> datetime | None:
    """The earliest moment no check refuses: jump to the latest clearing time, re-check, repeat.
    Each reason blocks without gap until its own clearing time, so nothing earlier can be free."""
    t: datetime | None = None
    for _ in range(_MAX_STEPS):
        if any(r.next_allowed is None for r in reasons):
            return None
        t = max(r.next_allowed for r in reasons)  # type: ignore[type-var]
        reasons = [r for c in checks if (r := c(t)) is not None]
        if not reasons:
            return t
    return None


def _window(policy: EffectivePolicy, zones: LocalZones, t: datetime, cal) -> Reason | None:
    table = policy.windows
    closed = [z for z in zones.zones if not is_open(table, t, z, cal)]
    if not closed:
        return None
    z = closed[0]
    local = t.astimezone(z)
    return Reason(rule="window.outside", ref=policy.window_ref, zone=z.key,
                  next_allowed=next_open(table, t, zones.zones, cal),
                  detail=f"{local:%H:%M:%S %a} in {z.key} is outside "
                         f"{table.describe(local.date(), cal)}")


def _workplace(zones: LocalZones, t: datetime, cal) -> Reason | None:
    latest = None
    for z in zones.zones:
        day = t.astimezone(z).date()
        if not cal.is_working_day(day):
            nxt = local_midnight(cal.next_working_day(day).toordinal(), z)
            latest = nxt if latest is None or nxt > latest else latest
    if latest is None:
        return None
    r = RULES["visit.workplace_non_working_day"]
    return Reason(rule="visit.workplace_non_working_day", ref=r.ref, next_allowed=latest,
                  detail=f"{r.what} (not a working day in the debtor's zone)")


def _exemption(policy: EffectivePolicy, zones: LocalZones, hist: Sequence[Attempt],
               request: Request) -> tuple[Exemption | None, list[Notice]]:
    """R-15 exemptions, checked rather than trusted: inbound only for inbound contact; a call-back only
    within its validity (days, the request day first) and until the next conversation with that
    person (Reg F comment 14(b)(3)(i)-2 ends consent the same way)."""
    if request.direction == Direction.INBOUND:
        return Exemption.INBOUND, [_applied(policy, Exemption.INBOUND)]
    if request.exemption is None:
        return _stored_callback(policy, zones, hist, request)
    why = _callback_problem(policy, zones, hist, request)
    if why:
        n = NOTICES["exemption.not_applicable"]
        return None, [Notice("exemption.not_applicable", n.ref, f"{n.what}: {why}")]
    return request.exemption, [_applied(policy, request.exemption)]


def _stored_callback(policy: EffectivePolicy, zones: LocalZones, hist: Sequence[Attempt],
                     request: Request) -> tuple[Exemption | None, list[Notice]]:
    """R-15: a call-back the debtor asked for, stored on the case level, exempts the debtor's calls
    while it is valid; once it is not (too old, or a conversation since), it is silently unused."""
    asked = policy.callback_requested_at
    if asked is None or request.party != Party.DEBTOR:
        return None, []
    req = replace(request, exemption=Exemption.CALLBACK_REQUESTED, exemption_at=asked)
    if _callback_problem(policy, zones, hist, req):
        return None, []
    return Exemption.CALLBACK_REQUESTED, [_applied(policy, Exemption.CALLBACK_REQUESTED)]


def _callback_problem(policy: EffectivePolicy, zones: LocalZones, hist: Sequence[Attempt],
                      request: Request) -> str | None:
    why = None
    if request.exemption == Exemption.INBOUND:
        why = "inbound exemption on an outbound request"
    elif request.channel != Channel.CALL:
        why = "a call-back exempts calls only"
    elif request.exemption_at is None or request.exemption_at > request.at:
        why = "no time of the debtor's request (exemption_at) before the call"
    elif any(day_of(request.at, z) - day_of(request.exemption_at, z) >= policy.callback_valid_days
             for z in zones.zones):
        why = f"the call-back request is older than {policy.callback_valid_days} debtor-local day(s)"
    elif any(a.person() == request.person() and a.channel == Channel.CALL
             and a.outcome in (Outcome.CONNECTED, Outcome.PENDING)
             and request.exemption_at < a.at <= request.at for a in hist):
        why = "a conversation has taken place since the debtor asked for the call-back"
    return why


def _applied(policy: EffectivePolicy, ex: Exemption) -> Notice:
    n = NOTICES["exemption.applied"]
    groups = ", ".join(sorted(policy.skips[ex])) or "nothing"
    return Notice("exemption.applied", n.ref, f"{n.what} ({ex.value}): skips {groups}")


def _local(r: Reason, zones: LocalZones) -> Reason:
    """Moments are shown in the debtor's (primary) zone: that is what the collector reads."""
    if r.next_allowed is None:
        return r
    return replace(r, next_allowed=r.next_allowed.astimezone(zones.primary))
