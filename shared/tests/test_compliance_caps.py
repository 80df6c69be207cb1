"""Frequency caps (R-15), special populations (R-16), visits (R-36) and the R-15 exemptions."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from recoup_shared.compliance import (Attempt, Channel, Direction, Exemption, Outcome, Party, Request,
                                      VisitPlace, decide, effective_policy, replay, resolve_zones,
                                      validate_level)

SH = ZoneInfo("Asia/Shanghai")
Z = resolve_zones([])
TUE = datetime(2025, 6, 3, tzinfo=SH)


def at(h: int, m: int = 0, day: datetime = TUE) -> datetime:
    return day.replace(hour=h, minute=m)


def calls(*times: datetime, outcome=Outcome.CONNECTED, **kw) -> list[Attempt]:
    return [Attempt(at=t, channel=Channel.CALL, outcome=outcome, **kw) for t in times]


def policy(**case_values):
    levels = [validate_level(case_values, "case", scope="case-1")] if case_values else []
    return effective_policy(levels)


def test_fourth_connected_call_of_the_day_is_refused():
    hist = calls(at(9), at(11), at(14))
    d = decide(policy(), Z, hist, Request(at=at(16), channel=Channel.CALL))
    assert not d.allowed and d.rules == ("cap.effective_calls_per_day",)
    r = d.reasons[0]
    assert (r.ref, r.limit, r.count) == ("R-15", 3, 3)
    assert r.next_allowed == datetime(2025, 6, 4, 0, 0, tzinfo=SH)       # debtor-local midnight
    assert d.next_allowed == datetime(2025, 6, 4, 8, 0, tzinfo=SH)       # ... then the window opens
    assert decide(policy(), Z, hist[:2], Request(at=at(16), channel=Channel.CALL)).allowed
    stored = json.loads(json.dumps(d.to_dict()))          # what the gate records with the refusal
    assert stored["reasons"][0] == {"rule": "cap.effective_calls_per_day", "ref": "R-15", "limit": 3,
                                    "count": 3, "zone": "Asia/Shanghai", "detail": r.detail,
                                    "next_allowed": "2025-06-04T00:00:00+08:00"}
    assert stored["next_allowed"] == "2025-06-04T08:00:00+08:00" and not stored["allowed"]


def test_pending_reservations_count_as_connected():
    """Three dials in flight: a fourth could make a fourth conversation, so it waits."""
    hist = calls(at(9), at(9, 1), at(9, 2), outcome=Outcome.PENDING)
    d = decide(policy(), Z, hist, Request(at=at(9, 3), channel=Channel.CALL))
    assert d.rules == ("cap.effective_calls_per_day",)
    settled = calls(at(9), at(9, 1), at(9, 2), outcome=Outcome.NO_ANSWER)
    assert decide(policy(), Z, settled, Request(at=at(9, 3), channel=Channel.CALL)).allowed


def test_eleventh_attempt_is_refused_and_both_caps_can_apply():
    hist = calls(*(at(8, 5 * i) for i in range(10)), outcome=Outcome.NO_ANSWER)
    d = decide(policy(), Z, hist, Request(at=at(12), channel=Channel.CALL))
    assert d.rules == ("cap.call_attempts_per_day",) and d.reasons[0].count == 10
    hist = calls(at(8), at(8, 5), at(8, 10)) + calls(*(at(9, i) for i in range(7)), outcome=Outcome.NO_ANSWER)
    d = decide(policy(), Z, hist, Request(at=at(12), channel=Channel.CALL))
    assert set(d.rules) == {"cap.call_attempts_per_day", "cap.effective_calls_per_day"}
    assert d.next_allowed == datetime(2025, 6, 4, 8, tzinfo=SH)


def test_caps_per_contact_point_and_contact_person():
    client = validate_level({"caps": {"calls_per_contact_point_per_day": 2,
                                      "calls_per_contact_person_per_day": 1}}, "client")
    p = effective_policy([client])
    hist = calls(at(9), at(10), outcome=Outcome.NO_ANSWER, contact_point="mobile")
    mobile = decide(p, Z, hist, Request(at=at(11), channel=Channel.CALL, contact_point="mobile"))
    assert mobile.rules == ("cap.calls_per_contact_point_per_day",)
    assert decide(p, Z, hist, Request(at=at(11), channel=Channel.CALL, contact_point="home")).allowed
    hist = calls(at(9), party=Party.THIRD_PARTY, contact_person="mother", contact_point="m-1",
                 outcome=Outcome.NO_ANSWER)
    again = decide(p, Z, hist, Request(at=at(11), channel=Channel.CALL, party=Party.THIRD_PARTY,
                                       contact_person="mother", contact_point="m-2"))
    assert again.rules == ("cap.calls_per_contact_person_per_day",)
    assert decide(p, Z, hist, Request(at=at(11), channel=Channel.CALL, party=Party.THIRD_PARTY,
                                      contact_person="brother", contact_point="b-1")).allowed


def test_minimum_interval_between_calls():
    client = validate_level({"caps.min_minutes_between_calls": 30}, "client")
    p = effective_policy([client])
    hist = calls(at(9, 0), outcome=Outcome.NO_ANSWER)
    d = decide(p, Z, hist, Request(at=at(9, 20), channel=Channel.CALL))
    assert d.rules == ("interval.min_between_calls",) and d.next_allowed == at(9, 30)
    assert decide(p, Z, hist, Request(at=at(9, 30), channel=Channel.CALL)).allowed
    late = decide(p, Z, calls(at(20, 50), outcome=Outcome.NO_ANSWER),
                  Request(at=at(20, 55), channel=Channel.CALL))
    assert late.next_allowed == datetime(2025, 6, 4, 8, tzinfo=SH)   # interval ends 21:20: window shut


def test_special_population_one_call_every_two_days():
    p = policy(special_population={"kind": "serious_illness"})
    day1, day2, day3 = TUE, TUE + timedelta(days=1), TUE + timedelta(days=2)
    assert decide(p, Z, [], Request(at=at(10, day=day1), channel=Channel.CALL)).allowed
    hist = calls(at(10, day=day1), outcome=Outcome.NO_ANSWER)
    d2 = decide(p, Z, hist, Request(at=at(10, day=day2), channel=Channel.CALL))
    assert d2.rules == ("special_population.call_interval",)
    r = d2.reasons[0]
    assert (r.ref, r.limit, r.count) == ("R-16", 1, 1)
    assert d2.next_allowed == at(8, day=day3)                  # day 3 window opening
    same_day = decide(p, Z, hist, Request(at=at(15, day=day1), channel=Channel.CALL))
    assert same_day.next_allowed == at(8, day=day3)
    assert decide(p, Z, hist, Request(at=at(8, day=day3), channel=Channel.CALL)).allowed
    assert decide(policy(), Z, hist, Request(at=at(10, day=day2), channel=Channel.CALL)).allowed


def visit(t: datetime, agents: int = 2, **kw) -> Request:
    return Request(at=t, channel=Channel.VISIT, agents=agents, contact_point="home-1", **kw)


def test_visits_per_day_team_size_and_special_population():
    hist = [Attempt(at=at(9), channel=Channel.VISIT, agents=2), Attempt(at=at(11), channel=Channel.VISIT, agents=2)]
    third = decide(policy(), Z, hist, visit(at(15)))
    assert third.rules == ("cap.visits_per_day",) and third.reasons[0].limit == 2
    alone = decide(policy(), Z, [], visit(at(15), agents=1))
    assert alone.rules == ("visit.min_agents",) and alone.next_allowed is None   # waiting won't help
    special = policy(special_population={"kind": "pregnancy"})
    crowd = decide(special, Z, [], visit(at(15), agents=3))
    assert crowd.rules == ("special_population.visit_agents",) and crowd.reasons[0].ref == "R-16"
    week = decide(special, Z, hist[:1], visit(at(15, day=TUE + timedelta(days=6))))
    assert week.rules == ("special_population.visits_per_week",)
    assert week.next_allowed == at(8, day=TUE + timedelta(days=7))
    assert decide(special, Z, hist[:1], visit(at(8, day=TUE + timedelta(days=7)))).allowed
    night = decide(policy(), Z, [], visit(at(21, 30)))
    assert night.rules == ("window.outside",)                                      # R-36 within R-14


def test_workplace_visits_only_on_working_days():
    sat = datetime(2025, 6, 7, 10, tzinfo=SH)
    d = decide(policy(), Z, [], visit(sat, place=VisitPlace.WORKPLACE))
    assert d.rules == ("visit.workplace_non_working_day",)
    assert d.next_allowed == datetime(2025, 6, 9, 8, tzinfo=SH)
    assert decide(policy(), Z, [], visit(sat, place=VisitPlace.HOME)).allowed
    adjusted = datetime(2025, 9, 28, 10, tzinfo=SH)                  # Sunday, adjusted working day
    assert decide(policy(), Z, [], visit(adjusted, place=VisitPlace.WORKPLACE)).allowed


def test_inbound_call_is_exempt_and_does_not_count():
    full = calls(at(9), at(10), at(11))
    inbound = Request(at=at(22), channel=Channel.CALL, direction=Direction.INBOUND)
    d = decide(policy(), Z, full, inbound)
    assert d.allowed and d.exemption == Exemption.INBOUND
    assert [n.rule for n in d.notices] == ["exemption.applied"]
    hist = calls(at(9), at(10)) + [d.attempt(Outcome.CONNECTED)]
    assert hist[-1].direction == Direction.INBOUND and hist[-1].exemption == Exemption.INBOUND
    assert decide(policy(), Z, hist[:2] + calls(at(12), direction=Direction.INBOUND),
                  Request(at=at(13), channel=Channel.CALL)).allowed        # inbound not counted


def test_call_back_exemption_is_checked_not_trusted():
    full = calls(at(9), at(10), at(11))
    asked = at(11)
    cb = Request(at=at(15), channel=Channel.CALL, exemption=Exemption.CALLBACK_REQUESTED, exemption_at=asked)
    d = decide(policy(), Z, full, cb)
    assert d.allowed and d.exemption == Exemption.CALLBACK_REQUESTED
    done = full + [d.attempt(Outcome.CONNECTED)]
    again = decide(policy(), Z, done, Request(at=at(16), channel=Channel.CALL,
                                             exemption=Exemption.CALLBACK_REQUESTED, exemption_at=asked))
    assert not again.allowed and again.exemption is None                   # consumed by the conversation
    assert "conversation" in again.notices[0].detail
    stale = Request(at=at(15, day=TUE + timedelta(days=2)), channel=Channel.CALL,
                    exemption=Exemption.CALLBACK_REQUESTED, exemption_at=asked)
    assert decide(policy(), Z, [], stale).notices[0].rule == "exemption.not_applicable"
    no_time = Request(at=at(15), channel=Channel.CALL, exemption=Exemption.CALLBACK_REQUESTED)
    assert not decide(policy(), Z, full, no_time).allowed
    night = Request(at=at(22), channel=Channel.CALL, exemption=Exemption.CALLBACK_REQUESTED, exemption_at=asked)
    assert decide(policy(), Z, [], night).rules == ("window.outside",)     # a call-back is no night call
    # the exempt call does not count: two ordinary connected calls + the call-back leave room for a third
    after = decide(policy(), Z, full[:2] + [d.attempt(Outcome.CONNECTED)], Request(at=at(17), channel=Channel.CALL))
    assert after.allowed


def test_history_before_the_horizon_is_ignored():
    p = policy()
    old = calls(at(9, day=TUE - timedelta(days=30)), at(10, day=TUE - timedelta(days=30)),
                at(11, day=TUE - timedelta(days=30)))
    assert decide(p, Z, old, Request(at=at(9), channel=Channel.CALL)).allowed
    assert p.horizon >= timedelta(days=3)


def test_replay_finds_the_breaches_in_a_recorded_history():
    """R-48: quality inspection re-checks what was done; the 22:10 call and the 4th connected call."""
    hist = calls(at(9), at(10), at(11)) + calls(at(12)) + calls(at(22, 10), outcome=Outcome.NO_ANSWER)
    hist += calls(at(23), direction=Direction.INBOUND)                      # the debtor called: fine
    results = replay(policy(), Z, reversed(hist))
    breaches = [(a.at, d.rules) for a, d in results if not d.allowed]
    assert breaches == [(at(12), ("cap.effective_calls_per_day",)),
                        (at(22, 10), ("window.outside", "cap.effective_calls_per_day"))]


def test_stored_call_back_request_exempts_the_debtors_calls_until_a_conversation():
    """R-15: the debtor asked (on Tuesday 09:30) to be called back; the case level keeps it. The
    fourth connected call of the day is allowed for the debtor only, and only until they talk."""
    asked = at(9, 30).isoformat()
    p = policy(exemptions={"callback_requested_at": asked})
    hist = calls(at(9), at(9, 10), at(9, 20), outcome=Outcome.NO_ANSWER) + calls(at(8), at(8, 10), at(8, 20))
    d = decide(p, Z, hist[3:], Request(at=at(16), channel=Channel.CALL))
    assert d.allowed and d.exemption == Exemption.CALLBACK_REQUESTED
    assert [n.rule for n in d.notices] == ["exemption.applied"]
    assert d.attempt().exemption == Exemption.CALLBACK_REQUESTED        # history keeps it uncounted
    third = decide(p, Z, hist[3:], Request(at=at(16), channel=Channel.CALL, party=Party.THIRD_PARTY,
                                           contact_person="cp-1"))
    assert not third.allowed and third.rules == ("cap.effective_calls_per_day",)
    talked = hist[3:] + calls(at(10))                                   # a conversation since the request
    late = decide(p, Z, talked, Request(at=at(16), channel=Channel.CALL))
    assert not late.allowed and late.exemption is None and late.notices == ()
    stale = decide(p, Z, hist[3:], Request(at=at(16, day=TUE + timedelta(days=2)), channel=Channel.CALL))
    assert stale.exemption is None                                       # 2 debtor-local days: expired
    assert validate_level({"exemptions": {"callback_requested_at": asked}}, "case").values == {
        "exemptions.callback_requested_at": asked}
