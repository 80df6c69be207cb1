"""The daily planner (R-34, R-36 with R-14/R-15/R-16 through the compliance checker): a worked
day by hand, then hypothesis properties (test_planner_properties.py)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from recoup_fieldops.rules import (
    SHANGHAI,
    Agent,
    Area,
    CapsAndWindow,
    Coverage,
    NotPlannedReason,
    PlannerConfig,
    PlanVisit,
    Team,
    VisitState,
    plan_day,
)
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
FRI, SUN = date(2026, 10, 9), date(2026, 10, 11)
HN, ZZ, LY, KF = "河南省", "郑州市", "洛阳市", "开封市"
JINSHUI, ZHONGYUAN, ERQI = Area(HN, ZZ, "金水区"), Area(HN, ZZ, "中原区"), Area(HN, ZZ, "二七区")

TEAMS = (
    Team("T-zz", (Agent("z1"), Agent("z2"), Agent("z3")), (Coverage(HN, ZZ),)),
    Team("T-js", (Agent("j1"), Agent("j2")), (Coverage(HN, ZZ, "金水区"),)),
    Team("T-ly", (Agent("l1"), Agent("l2", available=False)), (Coverage(HN, LY),)),
)


def v(vid, case, area, kind, due, special=False, **kw):
    return PlanVisit(vid, case, date.fromisoformat(due) if due else None, area, kind,
                     special_population=special, **kw)


VISITS = [
    v("v01", "c1", JINSHUI, "home", "2026-10-10"),
    v("v02", "c2", JINSHUI, "work", "2026-10-09"),
    v("v03", "c3", ZHONGYUAN, "work", "2026-10-12"),
    v("v04", "c4", ERQI, "household_registration", "2026-10-11", special=True),
    v("v05", "c5", Area(HN, LY, "西工区"), "home", "2026-10-10"),
    v("v06", "c6", Area(HN, KF, "鼓楼区"), "home", "2026-10-09"),
    v("v07", "c1", JINSHUI, "home", "2026-10-11"),
    v("v08", "c1", JINSHUI, "work", "2026-10-11"),      # a third visit of c1 the same day
    v("v09", "c7", JINSHUI, "home", "2026-10-13"),
    v("v10", "c8", JINSHUI, "home", "2026-10-14"),
    v("v11", "c9", ZHONGYUAN, "home", None),
    v("v12", "c10", ZHONGYUAN, "work", None),
]
CFG = PlannerConfig(team_capacity=4, slot_minutes=60)


def hm(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%H:%M")


def test_a_working_friday_by_hand():
    plan = plan_day(FRI, VISITS, TEAMS, CapsAndWindow(), CAL, CFG)
    plans = {p.team_id: p for p in plan.plans}
    assert set(plans) == {"T-zz", "T-js"}
    # the district team takes its district first; workplace by day, home in the evening
    assert [(x.visit_id, x.band, hm(x.start), hm(x.end), x.agent_ids) for x in plans["T-js"].visits] == [
        ("v02", "daytime", "09:00", "10:00", ("j1", "j2")),
        ("v01", "evening", "18:00", "19:00", ("j1", "j2")),
        ("v07", "evening", "19:00", "20:00", ("j1", "j2")),
        ("v09", "evening", "20:00", "21:00", ("j1", "j2")),
    ]
    # the city team: evening districts ordered by their earliest deadline, no deadline last;
    # the special-population visit goes with two agents only
    assert [(x.visit_id, x.area.district, hm(x.start), x.agent_ids) for x in plans["T-zz"].visits] == [
        ("v03", "中原区", "09:00", ("z1", "z2", "z3")),
        ("v04", "二七区", "18:00", ("z1", "z2")),
        ("v10", "金水区", "19:00", ("z1", "z2", "z3")),
        ("v11", "中原区", "20:00", ("z1", "z2", "z3")),
    ]
    out = {n.visit_id: n for n in plan.not_planned}
    assert {k: n.reason for k, n in out.items()} == {
        "v05": NotPlannedReason.NO_AGENTS,            # 洛阳 team has one agent on duty
        "v06": NotPlannedReason.NO_TEAM_FOR_AREA,     # nobody covers 开封
        "v08": NotPlannedReason.REFUSED_BY_COMPLIANCE,
        "v12": NotPlannedReason.NO_CAPACITY,          # both 郑州 teams are full for the day
    }
    assert out["v08"].details[0].startswith("cap.visits_per_day")
    assert [a.district for a, _ in plans["T-zz"].by_area()] == ["中原区", "二七区", "金水区", "中原区"]


def test_a_sunday_has_no_workplace_visits_and_a_long_home_band():
    plan = plan_day(SUN, VISITS, TEAMS, CapsAndWindow(), CAL, PlannerConfig(team_capacity=20))
    out = {n.visit_id: n.reason for n in plan.not_planned}
    for vid in ("v02", "v03", "v08", "v12"):
        assert out[vid] is NotPlannedReason.NO_SLOT_TODAY
    js = next(p for p in plan.plans if p.team_id == "T-js")
    assert [(x.visit_id, x.band, hm(x.start)) for x in js.visits] == [
        ("v01", "rest_day", "09:00"), ("v07", "rest_day", "10:00"),
        ("v09", "rest_day", "11:00"), ("v10", "rest_day", "12:00")]


def test_compliance_refusals_are_kept_with_their_reasons():
    checker = CapsAndWindow(history=[("c4", date(2026, 10, 6))])   # visited 3 days ago
    plan = plan_day(FRI, VISITS, TEAMS, checker, CAL, CFG)
    refused = next(n for n in plan.not_planned if n.visit_id == "v04")
    assert refused.reason is NotPlannedReason.REFUSED_BY_COMPLIANCE
    assert refused.details[0].startswith("special_population.visits_per_week")


def test_not_approved_or_not_yet_due_visits_are_listed_not_planned():
    plan = plan_day(FRI, [v("a", "c1", JINSHUI, "home", "2026-10-10", state=VisitState.PLANNED),
                          v("b", "c2", JINSHUI, "home", "2026-10-10", not_before=date(2026, 10, 10))],
                    TEAMS, CapsAndWindow(), CAL, CFG)
    assert [(n.visit_id, n.reason) for n in plan.not_planned] == [
        ("a", NotPlannedReason.NOT_APPROVED), ("b", NotPlannedReason.NOT_DUE_YET)]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        plan_day(FRI, VISITS + VISITS[:1], TEAMS, CapsAndWindow(), CAL, CFG)
    with pytest.raises(ValueError):
        plan_day(FRI, VISITS, TEAMS + TEAMS[:1], CapsAndWindow(), CAL, CFG)
    with pytest.raises(ValueError):
        PlannerConfig(special_population_agents=1)


def test_a_debtor_window_from_nine_refuses_a_rest_day_band_from_nine_not_from_eight():
    from recoup_fieldops.rules import ComplianceConfig, SlotConfig, TimeBand
    early = PlannerConfig(slots=SlotConfig(home_rest_day=TimeBand("rest_day", time(8), time(21))))
    checker = CapsAndWindow(ComplianceConfig(client_windows={"bank-9": (time(9), time(21))}))
    visit = v("x", "c1", JINSHUI, "home", "2026-10-12", client_id="bank-9")
    plan = plan_day(SUN, [visit], TEAMS, checker, CAL, early)
    assert plan.not_planned[0].reason is NotPlannedReason.REFUSED_BY_COMPLIANCE
    assert plan_day(SUN, [visit], TEAMS, CapsAndWindow(ComplianceConfig(
        client_windows={"bank-9": (time(9), time(21))})), CAL).planned_count() == 1
