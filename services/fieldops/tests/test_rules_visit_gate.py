"""The planner's VisitCompliance answered by the shared engine (EngineCompliance), and each case's
policy as fieldops builds it from `policy.changed` levels and client flags (PolicyBook): worked
examples of R-14, R-15, R-16, R-17 and R-36 for visits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from recoup_fieldops.rules import SHANGHAI, CapsAndWindow, Place, VisitProposal
from recoup_fieldops.rules.policy import PolicyBook, case_values, flag_values
from recoup_fieldops.rules.visit_gate import EngineCompliance
from recoup_shared.compliance import Attempt, Channel

FRI, SAT, SUN = date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 11)   # 10-10 is a working Saturday
SYSTEM = ("system", "")


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=SHANGHAI)


def proposal(start: str, end: str, *, day: date = FRI, case: str = "c1", agents=("a1", "a2"),
             place: Place | None = Place.HOME, special: bool = False) -> VisitProposal:
    return VisitProposal(visit_id="v", case_id=case, day=day, start=at(day, start), end=at(day, end),
                         agent_ids=tuple(agents), special_population=special, place=place)


def book(levels=None, **case):
    b = PolicyBook(levels or {})
    kw = {"case_id": "c1", "client_id": "bank", "placement_id": None, "flags": (), "province": "河南省"}
    return b.case_policy(**{**kw, **case})


def gate(cp, history=()):
    return EngineCompliance(lambda _: cp, [("c1", a) for a in history])


def codes(verdict):
    return [r.code for r in verdict.refusals]


def visit(day: date, hhmm: str = "19:00") -> Attempt:
    return Attempt(at=at(day, hhmm), channel=Channel.VISIT, agents=2)


def test_defaults_window_caps_and_teams():
    g = gate(book())
    assert g.check(proposal("18:00", "21:00")).allowed                       # R-14 08:00-21:00
    assert codes(g.check(proposal("20:30", "21:01"))) == ["window.outside"]
    assert codes(g.check(proposal("07:59", "09:00"))) == ["window.outside"]
    assert codes(g.check(proposal("18:00", "19:00", agents=("a1",)))) == ["visit.min_agents"]
    refusal = g.check(proposal("18:00", "19:00", agents=("a1",))).refusals[0]
    assert (refusal.ref, refusal.limit, refusal.count) == ("R-36", 2, 1)


def test_two_visits_a_day_counted_with_the_session():
    g = gate(book(), [visit(FRI, "10:00")])
    first = proposal("18:00", "21:00")
    assert g.check(first).allowed
    g.commit(first)
    refused = g.check(proposal("18:00", "21:00")).refusals
    assert [(r.code, r.ref, r.limit, r.count) for r in refused] == [("cap.visits_per_day", "R-15", 2, 2)]
    assert refused[0].next_allowed == at(SAT, "00:00")                       # the debtor's next day


def test_workplace_only_on_working_days():  # R-36, the adjusted working Saturday included
    g = gate(book())
    assert codes(g.check(proposal("10:00", "11:00", day=SUN, place=Place.WORKPLACE))) == [
        "visit.workplace_non_working_day"]
    assert g.check(proposal("10:00", "11:00", day=SAT, place=Place.WORKPLACE)).allowed
    assert g.check(proposal("10:00", "11:00", day=SUN, place=Place.HOME)).allowed


def test_special_population_from_the_client_flag():
    cp = book(flags=["special_population"])
    assert cp.policy.special == "client_flag"
    g = gate(cp, [visit(date(2026, 10, 3))])
    assert codes(g.check(proposal("18:00", "19:00"))) == ["special_population.visits_per_week"]
    g = gate(cp, [visit(date(2026, 10, 2))])                                  # 7 days before: clear
    assert g.check(proposal("18:00", "19:00")).allowed
    assert codes(g.check(proposal("18:00", "19:00", agents=("a", "b", "c")))) == [
        "special_population.visit_agents"]


def test_a_visit_booked_later_in_the_week_counts_too():  # any 7 consecutive days
    g = gate(book(flags=["special_population"]), [visit(date(2026, 10, 13))])
    refused = g.check(proposal("18:00", "19:00"))
    assert codes(refused) == ["special_population.visits_per_week"]
    assert "2026-10-13" in refused.refusals[0].detail
    assert gate(book(flags=["special_population"]), [visit(date(2026, 10, 16))]).check(
        proposal("18:00", "19:00")).allowed


def test_a_hold_stops_every_visit_and_waiting_does_not_help():
    refused = gate(book(flags=["dispute"])).check(proposal("18:00", "19:00"))
    assert codes(refused) == ["hold.dispute"] and refused.refusals[0].next_allowed is None


def test_levels_from_policy_changed_client_window_and_debtor_window():  # R-14 by level
    client = {f"windows.{d}": ["09:00-20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    levels = {SYSTEM: (1, {}), ("client", "bank"): (3, client)}
    cp = book(levels)
    assert codes(gate(cp).check(proposal("18:00", "21:00"))) == ["window.outside"]   # band ends 21:00
    assert gate(cp).check(proposal("18:00", "20:00")).allowed
    # a debtor's own window with a gap: the band must lie in ONE window, not span the gap
    case = {"debtor_windows.fri": ["09:00-12:00", "19:00-21:00"]}
    cp = book({**levels, ("case", "c1"): (1, case)})
    assert codes(gate(cp).check(proposal("11:00", "20:00"))) == ["window.outside"]
    assert gate(cp).check(proposal("19:00", "20:00")).allowed


def test_xinjiang_is_judged_on_both_clocks():
    cp = book(province="新疆维吾尔自治区")
    assert cp.zones.names == ("Asia/Shanghai", "Asia/Urumqi")
    # 08:30 Beijing time is 06:30 Ürümqi time: not a visiting hour there
    assert codes(gate(cp).check(proposal("08:30", "09:30"))) == ["window.outside"]
    assert gate(cp).check(proposal("11:00", "12:00")).allowed


def test_flags_and_published_case_levels_merge_holds_stay():
    assert flag_values(["dispute", "special_population"]) == {
        "holds.dispute": {"since": None, "by": "client", "note": "client flag dispute"},
        "special_population.kind": "client_flag"}
    # contact published the case level; its values win, but a hold the client still flags stays
    merged = case_values(["dispute"], {"holds.dispute": None, "caps.visits_per_day": 1})
    assert merged["holds.dispute"] is not None and merged["caps.visits_per_day"] == 1
    assert case_values([], {"holds.fraud_claim": {"since": None, "by": "x", "note": None}}) == {
        "holds.fraud_claim": {"since": None, "by": "x", "note": None}}


def test_cases_without_own_levels_share_one_policy():
    b = PolicyBook({SYSTEM: (2, {"caps.visits_per_day": 1})})
    one = b.case_policy(case_id="a", client_id="bank", placement_id="p1", flags=(), province="河南省")
    two = b.case_policy(case_id="b", client_id="bank", placement_id="p2", flags=(), province="河南省")
    assert one.policy is two.policy and one.policy.values["caps.visits_per_day"] == 1
    flagged = b.case_policy(case_id="c", client_id="bank", placement_id=None, flags=["dispute"],
                            province=None)
    assert flagged.policy is not one.policy and flagged.zones.names == ("Asia/Shanghai",)


def test_caps_and_window_is_the_engine_configured():
    c = CapsAndWindow()
    assert isinstance(c, EngineCompliance)
    p = proposal("18:00", "21:00")
    c.commit(p)
    c.commit(p)
    assert codes(c.check(p)) == ["cap.visits_per_day"]
    assert c.check(proposal("18:00", "21:00", day=FRI + timedelta(days=1))).allowed
