"""Hypothesis properties of the daily planner (R-34, R-36; R-14/R-15/R-16 decided by the shared
compliance engine behind the `VisitCompliance` protocol, configured through CapsAndWindow).

For any day, visits, teams, history and configuration:
- every visit is in exactly one team plan or in `not_planned` (never both, never twice);
- every planned visit has at least two distinct agents of its team who are on duty, a special-
  population visit at most two; its team covers its area;
- nothing is planned outside the debtor's window or outside the R-36 band of its place and day,
  over the per-case daily cap, the special weekly cap, a team's capacity or a band's slots;
- within a team plan: bands in time order, slots without overlap; inside a band the provinces,
  cities and districts each form one run, ordered by their earliest deadline, and deadlines are
  non-decreasing within a district;
- the reasons are true: no team covers → NO_TEAM_FOR_AREA and only then; NO_CAPACITY only when every
  staffed covering team is full with visits that all come before it in deadline order;
- the planner is deterministic.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recoup_fieldops.rules import (
    Agent,
    Area,
    CapsAndWindow,
    ComplianceConfig,
    Coverage,
    NotPlannedReason,
    PlannerConfig,
    PlanVisit,
    Team,
    VisitState,
    band_for,
    place_of,
    plan_day,
)
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
DAYS = [date(2026, 10, 1), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 11),
        date(2026, 2, 14), date(2026, 2, 17)]
AREAS = [Area(p, c, d) for p in ("P1", "P2") for c in ("C1", "C2") for d in ("D1", "D2", "D3")]
CASES = [f"c{i}" for i in range(12)]
SPECIAL = {"c0", "c1", "c2"}                     # the special-population cases
WINDOWS = {"early": (time(8), time(21)), "late": (time(10), time(20))}
COMPLIANCE = ComplianceConfig(client_windows=WINDOWS)

coverages = st.one_of(
    st.builds(Coverage, st.sampled_from(["P1", "P2"])),
    st.builds(Coverage, st.sampled_from(["P1", "P2"]), st.sampled_from(["C1", "C2"])),
    st.builds(Coverage, st.sampled_from(["P1", "P2"]), st.sampled_from(["C1", "C2"]),
              st.sampled_from(["D1", "D2", "D3"])),
)


@st.composite
def teams(draw):
    out = []
    for i in range(draw(st.integers(0, 6))):
        agents = tuple(Agent(f"t{i}a{j}", draw(st.booleans() | st.just(True)))
                       for j in range(draw(st.integers(0, 4))))
        out.append(Team(f"t{i}", agents, tuple(draw(st.lists(coverages, min_size=1, max_size=2))),
                        draw(st.none() | st.integers(0, 6))))
    return out


@st.composite
def visits(draw, day):
    out = []
    for i in range(draw(st.integers(0, 40))):
        case = draw(st.sampled_from(CASES))
        offset = draw(st.none() | st.integers(-3, 6))
        out.append(PlanVisit(
            visit_id=f"v{i:02d}", case_id=case,
            due_on=None if offset is None else day + timedelta(days=offset),
            area=draw(st.sampled_from(AREAS)),
            address_kind=draw(st.sampled_from(["work", "home", "household_registration", "other"])),
            special_population=case in SPECIAL,
            state=draw(st.sampled_from([VisitState.APPROVED] * 9 + [VisitState.PLANNED])),
            not_before=draw(st.none() | st.just(day + timedelta(days=1)) | st.just(day)),
            client_id=draw(st.sampled_from([None, "early", "late"]))))
    return out


@st.composite
def scenarios(draw):
    day = draw(st.sampled_from(DAYS))
    history = draw(st.lists(st.tuples(st.sampled_from(CASES), st.integers(-8, 8)), max_size=8))
    cfg = PlannerConfig(team_capacity=draw(st.integers(0, 6)),
                        slot_minutes=draw(st.sampled_from([30, 60, 90, 180])),
                        agents_per_visit=draw(st.sampled_from([None, 2, 3])))
    return (day, draw(visits(day)), draw(teams()),
            [(c, day + timedelta(days=o)) for c, o in history], cfg)


def _run(day, vs, ts, history, cfg):
    return plan_day(day, vs, ts, CapsAndWindow(COMPLIANCE, history), CAL, cfg)


def _covers(team: Team, area: Area) -> bool:
    key = (area.province, area.city, area.district)
    return any(key[:len(c.key)] == c.key for c in team.coverage)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_planner_properties(scenario):
    day, vs, ts, history, cfg = scenario
    plan = _run(day, vs, ts, history, cfg)
    by_id = {v.visit_id: v for v in vs}
    team_of = {t.team_id: t for t in ts}
    planned = [(p.team_id, x) for p in plan.plans for x in p.visits]

    # exactly once: planned or not planned
    ids = [x.visit_id for _, x in planned] + [n.visit_id for n in plan.not_planned]
    assert sorted(ids) == sorted(by_id)

    per_case_day = Counter((c, d) for c, d in history)
    for team_id, x in planned:
        team, v = team_of[team_id], by_id[x.visit_id]
        on_duty = {a.agent_id for a in team.agents if a.available}
        assert len(set(x.agent_ids)) == len(x.agent_ids) >= 2 and set(x.agent_ids) <= on_duty
        assert not v.special_population or len(x.agent_ids) <= 2
        assert _covers(team, v.area) and v.state is VisitState.APPROVED
        lo, hi = WINDOWS.get(v.client_id, (time(8), time(21)))
        assert x.start.date() == x.end.date() == day
        assert lo <= x.start.time() and x.end.time() <= hi
        band = band_for(place_of(v.address_kind), day, CAL)
        assert band is not None and band.name == x.band and band.contains(x.start.time(), x.end.time())
        per_case_day[(v.case_id, day)] += 1
    took = {by_id[x.visit_id].case_id for _, x in planned}
    # R-15, for the cases the plan added to (a generated history alone may already be over it)
    assert all(n <= 2 for (c, d), n in per_case_day.items() if d == day and c in took)
    for case in SPECIAL:
        near = [d for (c, d), n in per_case_day.items() for _ in range(n) if c == case]
        if any(by_id[x.visit_id].case_id == case for _, x in planned):
            assert sum(1 for d in near if abs((d - day).days) < 7) == 1

    for p in plan.plans:
        _check_team_plan(p, team_of[p.team_id], cfg)
    _check_reasons(plan, by_id, ts, cfg, day)
    assert _run(day, vs, ts, history, cfg) == plan                          # deterministic


def _check_team_plan(p, team, cfg):
    cap = cfg.team_capacity if team.capacity is None else team.capacity
    assert 0 < len(p.visits) <= cap
    starts = [x.start for x in p.visits]
    assert starts == sorted(starts) and all(a.end <= b.start for a, b in zip(p.visits, p.visits[1:]))
    for band in {x.band for x in p.visits}:
        seg = [x for x in p.visits if x.band == band]
        _check_grouping(seg)


def _due(x):
    return x.due_on or date.max


def _check_grouping(seg):
    for depth in (1, 2, 3):                      # province, city, district runs
        keys = [(x.area.province, x.area.city, x.area.district)[:depth] for x in seg]
        runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
        assert len(runs) == len(set(runs)), f"area {runs} split"
        # sibling groups ordered by their earliest deadline
        first_due = {}
        for k, x in zip(keys, seg):
            first_due[k] = min(first_due.get(k, date.max), _due(x))
        by_parent = defaultdict(list)
        for k in runs:
            by_parent[k[:-1]].append(first_due[k])
        assert all(d == sorted(d) for d in by_parent.values())
    for a, b in zip(seg, seg[1:]):
        if a.area == b.area:
            assert (_due(a), a.visit_id) <= (_due(b), b.visit_id)


def _check_reasons(plan, by_id, ts, cfg, day):
    taken = {x.visit_id: (p.team_id, x) for p in plan.plans for x in p.visits}
    team_visits = {p.team_id: p.visits for p in plan.plans}
    for n in plan.not_planned:
        v = by_id[n.visit_id]
        covering = [t for t in ts if _covers(t, v.area)]
        band = band_for(place_of(v.address_kind), day, CAL)
        if n.reason is NotPlannedReason.NO_SLOT_TODAY:
            assert band is None
        assert (n.reason is NotPlannedReason.NO_TEAM_FOR_AREA) == (
            not covering and v.state is VisitState.APPROVED and band is not None
            and not (v.not_before and v.not_before > day))
        if n.reason is NotPlannedReason.NO_CAPACITY:
            key = (_due(v), v.visit_id)
            slots = band.minutes() // cfg.slot_minutes
            for t in covering:
                if sum(a.available for a in t.agents) < 2:
                    continue
                mine = team_visits.get(t.team_id, ())
                cap = cfg.team_capacity if t.capacity is None else t.capacity
                in_band = [x for x in mine if x.band == band.name]
                # full when v came: the day, or v's band, with visits all earlier than v
                assert any(len(taken_) >= limit and all((_due(x), x.visit_id) < key for x in taken_)
                           for taken_, limit in ((mine, cap), (in_band, slots)))
    assert len(taken) + len(plan.not_planned) == len(by_id)
