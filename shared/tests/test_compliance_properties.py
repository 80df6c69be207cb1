"""Properties of the gate, checked against an oracle written independently of the engine:

- feed any sequence of requests, appending every allowed one to the history: no cap is ever exceeded
  in any debtor-local day (in every zone of the case) or rolling window, no call is closer than the
  minimum interval, no non-exempt contact falls outside the window;
- a refusal's next_allowed is really allowed (asking again then, same history, is allowed), it is the
  earliest such moment (one second before, still refused), and each reason's own next_allowed clears
  that reason.
"""
from __future__ import annotations

import statistics
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoup_shared.compliance import (Attempt, Channel, Direction, Outcome, Party, Request, SourceKind,
                                      ZoneSource, decide, effective_policy, resolve_zones, validate_level)

ZONE_SETS = {
    "shanghai": ["Asia/Shanghai"],
    "los_angeles": ["America/Los_Angeles"],
    "xinjiang": ["Asia/Shanghai", "Asia/Urumqi"],
    "la+shanghai": ["America/Los_Angeles", "Asia/Shanghai"],
}
START = datetime(2025, 9, 29, 0, 0, tzinfo=timezone.utc)   # spans National Day 2025


@st.composite
def cn_policies(draw, wide=False):
    caps = {
        "effective_calls_per_day": draw(st.integers(1, 3)),
        "call_attempts_per_day": draw(st.integers(2, 6)),
        "visits_per_day": draw(st.integers(1, 2)),
        "calls_per_contact_point_per_day": draw(st.one_of(st.none(), st.integers(1, 3))),
        "calls_per_contact_person_per_day": draw(st.one_of(st.none(), st.integers(1, 2))),
        "min_minutes_between_calls": draw(st.one_of(st.none(), st.integers(10, 180))),
    }
    # the 24-hour variant makes each zone's midnight observable (with 08-21 in two zones, every allowed
    # moment falls on the same pair of dates)
    start, end = ("00:00", "24:00") if wide else \
        draw(st.sampled_from([("08:00", "21:00"), ("09:00", "21:00"), ("00:00", "24:00")]))
    client = validate_level({"caps": caps, "windows": {**{d: [f"{start}-{end}"] for d in
                                                          ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                                                       "blackout": [] if start == "00:00" else ["00:00-08:00"]},
                             "special_population": {"call_period_days": draw(st.integers(1, 3))}},
                            "client")
    case = {"special_population.kind": "hardship"} if draw(st.booleans()) else {}
    return effective_policy([client, validate_level(case, "case")]), (int(start[:2]), int(end[:2]))


@st.composite
def regf_policies(draw):
    client = validate_level({"preset": "us_regf", "regf": {
        "calls_per_period": draw(st.integers(1, 7)), "call_period_days": draw(st.integers(2, 7)),
        "conversation_quiet_days": draw(st.one_of(st.none(), st.integers(1, 7)))}}, "client")
    return effective_policy([client]), (8, 21)


@st.composite
def steps(draw):
    return draw(st.lists(st.tuples(
        st.one_of(st.integers(0, 90), st.integers(0, 15 * 60)),         # minutes since the last request
        st.sampled_from([Channel.CALL] * 5 + [Channel.VISIT, Channel.SMS]),
        st.sampled_from(["debtor", "debtor", "mother", "friend"]),
        st.sampled_from(["p1", "p2"]),
        st.sampled_from([Outcome.CONNECTED, Outcome.NO_ANSWER, Outcome.NO_ANSWER, Outcome.NOT_CONNECTED]),
        st.sampled_from([Direction.OUTBOUND] * 6 + [Direction.INBOUND]),
        st.integers(1, 3),                                               # agents
    ), min_size=1, max_size=30))


def request_for(t, channel, who, point, direction, agents) -> Request:
    if channel != Channel.CALL:
        direction = Direction.OUTBOUND
    third = who != "debtor"
    return Request(at=t, channel=channel, party=Party.THIRD_PARTY if third else Party.DEBTOR,
                   contact_person=who if third else None, contact_point=f"{who}-{point}",
                   direction=direction, agents=agents)


def run(policy, zones, script, check_next=True):
    """Plays the script through the gate; returns the history of allowed attempts."""
    history: list[Attempt] = []
    t = START
    for gap, channel, who, point, outcome, direction, agents in script:
        t += timedelta(minutes=gap)
        req = request_for(t, channel, who, point, direction, agents)
        d = decide(policy, zones, history, req)
        if d.allowed:
            history.append(d.attempt(outcome if channel == Channel.CALL else Outcome.CONNECTED))
        elif check_next:
            check_next_allowed(policy, zones, history, req, d)
    return history


def check_next_allowed(policy, zones, history, req, d):
    for r in d.reasons:
        if r.next_allowed is not None:
            assert r.next_allowed > req.at
            again = decide(policy, zones, history, _at(req, r.next_allowed))
            assert r.rule not in again.rules, (r, again.reasons)
    if d.next_allowed is None:
        assert any(r.next_allowed is None for r in d.reasons)
        return
    assert d.next_allowed > req.at
    assert decide(policy, zones, history, _at(req, d.next_allowed)).allowed
    just_before = d.next_allowed - timedelta(seconds=1)
    if just_before > req.at:
        assert not decide(policy, zones, history, _at(req, just_before)).allowed


def _at(req: Request, t: datetime) -> Request:
    return Request(at=t, channel=req.channel, party=req.party, contact_point=req.contact_point,
                   contact_person=req.contact_person, direction=req.direction, agents=req.agents)


# --- the oracle ---------------------------------------------------------------------------------

def _days(history, zone, pred, key=lambda a: None):
    out = defaultdict(list)
    for a in history:
        if pred(a):
            out[key(a)].append(a.at.astimezone(zone).toordinal())
    return out


def _max_in_span(days: list[int], span: int) -> int:
    return max((sum(1 for x in days if d - span < x <= d) for d in days), default=0)


def _outbound_call(a):
    return a.channel == Channel.CALL and a.direction == Direction.OUTBOUND and a.exemption is None


def check_caps(policy, zones, history, hours):
    v = policy.values
    person = Attempt.person
    for zone in zones.zones:
        limits = [
            ("caps.effective_calls_per_day", 1, lambda a: _outbound_call(a) and a.outcome == Outcome.CONNECTED, None),
            ("caps.call_attempts_per_day", 1, _outbound_call, None),
            ("caps.visits_per_day", 1, lambda a: a.channel == Channel.VISIT, None),
            ("caps.calls_per_contact_point_per_day", 1, _outbound_call, lambda a: a.contact_point),
            ("caps.calls_per_contact_person_per_day", 1, lambda a: _outbound_call(a) and a.contact_person,
             lambda a: a.contact_person),
            ("regf.calls_per_period", v["regf.call_period_days"],
             lambda a: _outbound_call(a) and a.outcome != Outcome.NOT_CONNECTED, person),
        ]
        if v["special_population.kind"]:
            limits.append(("special_population.calls_per_period", v["special_population.call_period_days"],
                           _outbound_call, None))
        for key, span, pred, group in limits:
            if v[key] is None:
                continue
            for days in _days(history, zone, pred, group or (lambda a: None)).values():
                assert _max_in_span(days, span) <= v[key], (key, zone)
        quiet = v["regf.conversation_quiet_days"]
        if quiet:
            for i, a in enumerate(history):
                if not _outbound_call(a):
                    continue
                for c in history[:i]:
                    if c.channel == Channel.CALL and c.outcome == Outcome.CONNECTED and person(c) == person(a):
                        gap = a.at.astimezone(zone).toordinal() - c.at.astimezone(zone).toordinal()
                        assert gap >= quiet, ("after conversation", zone)
        for a in history:
            if a.direction == Direction.OUTBOUND:
                local = a.at.astimezone(zone)
                assert hours[0] <= local.hour < hours[1], ("window", local)
    gap = v["caps.min_minutes_between_calls"]
    if gap:
        times = [a.at for a in history if _outbound_call(a)]
        assert all(b - a >= timedelta(minutes=gap) for a, b in zip(times, times[1:]))


zone_sets = st.sampled_from(sorted(ZONE_SETS))


def _zones(name):
    return resolve_zones([ZoneSource(SourceKind.EXPLICIT, zone=z) for z in ZONE_SETS[name]])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cn_policies(), zone_sets, steps())
def test_cn_caps_never_exceeded_and_next_allowed_is_exact(pol, zone_set, script):
    policy, hours = pol
    zones = _zones(zone_set)
    check_caps(policy, zones, run(policy, zones, script), hours)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cn_policies(wide=True), st.sampled_from(["xinjiang", "la+shanghai"]), steps())
def test_caps_hold_in_the_day_of_every_zone(pol, zone_set, script):
    """Around the clock in two zones: a cap must hold in each zone's calendar day."""
    policy, hours = pol
    zones = _zones(zone_set)
    check_caps(policy, zones, run(policy, zones, script), hours)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regf_policies(), zone_sets, steps())
def test_regf_frequencies_never_exceeded_and_next_allowed_is_exact(pol, zone_set, script):
    policy, hours = pol
    zones = _zones(zone_set)
    check_caps(policy, zones, run(policy, zones, script), hours)


def test_a_decision_takes_well_under_a_millisecond():
    """A busy case: 60 attempts over the last week, a client with every cap on, two zones."""
    client = validate_level({"caps": {"calls_per_contact_point_per_day": 3, "calls_per_contact_person_per_day": 2,
                                      "min_minutes_between_calls": 15}}, "client")
    policy = effective_policy([client, validate_level({"special_population.kind": "hardship"}, "case")])
    zones = _zones("xinjiang")
    now = datetime(2025, 6, 10, 4, 0, tzinfo=timezone.utc)
    history = [Attempt(at=now - timedelta(hours=3 * i), channel=Channel.CALL, contact_point=f"p{i % 3}",
                       outcome=(Outcome.NO_ANSWER, Outcome.CONNECTED)[i % 2]) for i in range(1, 61)]
    req = Request(at=now, channel=Channel.CALL, contact_point="p1")
    samples = []
    for _ in range(300):
        t0 = time.perf_counter()
        decide(policy, zones, history, req)
        samples.append(time.perf_counter() - t0)
    median = statistics.median(samples)
    print(f"decision median {median * 1e6:.0f} µs")
    assert median < 0.001
