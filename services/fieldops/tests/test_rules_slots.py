"""R-36 slots (place × kind of day) and the default R-14/R-15/R-16 compliance checker."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timezone

import pytest
from recoup_fieldops.rules import (
    SHANGHAI,
    CapsAndWindow,
    ComplianceConfig,
    Place,
    SlotConfig,
    TimeBand,
    VisitProposal,
    band_for,
    place_of,
    require_agents,
    slot_allows,
)
from recoup_fieldops.rules.errors import TooFewAgents
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
FRI, ADJ_SAT, HOLIDAY_SAT, HOLIDAY_MON, SUN = (date(2026, 10, 9), date(2026, 10, 10),
                                               date(2026, 10, 3), date(2026, 10, 5), date(2026, 10, 11))


def test_work_addresses_are_workplaces_everything_else_is_home():
    assert place_of("work") is Place.WORKPLACE
    for kind in ("home", "household_registration", "other", "unknown"):
        assert place_of(kind) is Place.HOME
    assert place_of("other", SlotConfig(places={"other": Place.WORKPLACE})) is Place.WORKPLACE


@pytest.mark.parametrize("day, workplace, home", [
    (FRI, "daytime", "evening"),
    (ADJ_SAT, "daytime", "evening"),      # 调休: a Saturday that is a working day
    (HOLIDAY_SAT, None, "rest_day"),
    (HOLIDAY_MON, None, "rest_day"),      # a Monday in the Golden Week
    (SUN, None, "rest_day"),
])
def test_bands_follow_the_working_calendar(day, workplace, home):
    w, h = band_for(Place.WORKPLACE, day, CAL), band_for(Place.HOME, day, CAL)
    assert (w.name if w else None, h.name if h else None) == (workplace, home)


def test_slot_allows_only_inside_the_band_of_its_day():
    def at(d, hh, mm=0):
        return datetime.combine(d, time(hh, mm), tzinfo=SHANGHAI)
    assert slot_allows(Place.HOME, at(FRI, 19), at(FRI, 20), CAL)
    assert not slot_allows(Place.HOME, at(FRI, 14), at(FRI, 15), CAL)          # home, weekday daytime
    assert slot_allows(Place.HOME, at(HOLIDAY_MON, 14), at(HOLIDAY_MON, 15), CAL)
    assert slot_allows(Place.WORKPLACE, at(ADJ_SAT, 10), at(ADJ_SAT, 11), CAL)
    assert not slot_allows(Place.WORKPLACE, at(HOLIDAY_MON, 10), at(HOLIDAY_MON, 11), CAL)
    assert not slot_allows(Place.WORKPLACE, at(FRI, 17), at(FRI, 18), CAL)     # runs past 17:30


def test_bands_are_configuration_and_must_be_ordered():
    cfg = SlotConfig(workplace_rest_day=TimeBand("saturday_office", time(10), time(12)))
    assert band_for(Place.WORKPLACE, SUN, CAL, cfg).name == "saturday_office"
    with pytest.raises(ValueError):
        TimeBand("bad", time(21), time(18))
    with pytest.raises(ValueError):
        SlotConfig(min_agents=1)


def test_two_distinct_agents_at_least():
    assert require_agents(["a", "b", "a"]) == ("a", "b")
    with pytest.raises(TooFewAgents):
        require_agents(["a"])
    with pytest.raises(TooFewAgents):
        require_agents(["a", "b"], SlotConfig(min_agents=3))


# --- the default compliance checker ---------------------------------------------------------------

def proposal(start: str, end: str, *, day: date = FRI, case: str = "c1", special: bool = False,
             agents: tuple[str, ...] = ("a1", "a2"), client: str | None = None) -> VisitProposal:
    def at(hhmm):
        return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=SHANGHAI)
    return VisitProposal(visit_id="v", case_id=case, day=day, start=at(start), end=at(end),
                         agent_ids=agents, special_population=special, client_id=client)


def codes(verdict):
    return [r.code for r in verdict.refusals]


def test_window_is_08_to_21_debtor_time():
    c = CapsAndWindow()
    assert c.check(proposal("08:00", "21:00")).allowed
    assert codes(c.check(proposal("07:30", "09:00"))) == ["window.outside"]
    assert codes(c.check(proposal("20:30", "21:30"))) == ["window.outside"]
    strict = CapsAndWindow(ComplianceConfig(client_windows={"bank-9": (time(9), time(21))}))
    assert codes(strict.check(proposal("08:00", "09:00", client="bank-9"))) == ["window.outside"]
    assert strict.check(proposal("08:00", "09:00", client="bank-1")).allowed


def test_window_is_judged_in_the_debtors_zone():
    p = proposal("19:00", "20:00")
    utc = replace(p, start=p.start.astimezone(timezone.utc), end=p.end.astimezone(timezone.utc))
    assert utc.start.hour == 11 and CapsAndWindow().check(utc).allowed
    late = replace(p, start=datetime(2026, 10, 9, 13, 30, tzinfo=timezone.utc),
                   end=datetime(2026, 10, 9, 14, 0, tzinfo=timezone.utc))     # 21:30-22:00 local
    assert codes(CapsAndWindow().check(late)) == ["window.outside"]


def test_two_visits_per_case_per_day_history_included():
    c = CapsAndWindow(history=[("c1", FRI)])
    first = proposal("18:00", "21:00")
    assert c.check(first).allowed
    c.commit(first)
    assert codes(c.check(proposal("18:00", "21:00"))) == ["cap.visits_per_day"]
    assert c.check(proposal("18:00", "21:00", case="c2")).allowed
    assert c.check(proposal("09:00", "17:00", day=ADJ_SAT)).allowed


def test_special_population_one_visit_a_week_two_agents_at_most():
    c = CapsAndWindow(history=[("c1", date(2026, 10, 3))])
    assert codes(c.check(proposal("18:00", "21:00", special=True))) == ["special_population.visits_per_week"]
    c = CapsAndWindow(history=[("c1", date(2026, 10, 2))])     # 7 days before: a new week
    assert c.check(proposal("18:00", "21:00", special=True)).allowed
    assert codes(c.check(proposal("18:00", "21:00", special=True, agents=("a", "b", "c")))) == [
        "special_population.visit_agents"]
    c.commit(proposal("18:00", "21:00", special=True))
    assert codes(c.check(proposal("18:00", "21:00", special=True, day=date(2026, 10, 15)))) == [
        "special_population.visits_per_week"]

