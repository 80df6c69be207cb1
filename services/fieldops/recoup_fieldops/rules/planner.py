"""The daily planner: approved visits → one plan per team, grouped by area (R-34, R-36).

Seed 004 (3、外访安排): 制定每日外访计划; 对账户进行分类划区; 设计外访工作线路.

How a day is planned (pure, deterministic, O(n log n)):
1. Visits are taken earliest deadline first (no deadline last; ties by visit id), so when capacity
   runs out it is the later deadlines that wait.
2. Each visit gets the band its place allows that day (R-36: workplace on working days in the
   daytime, home on working-day evenings and on rest days), else NO_SLOT_TODAY.
3. It goes to a team covering its area, with at least two agents on duty (R-36) and room left in
   the day and in that band. Among those: the team already visiting that district today (routes
   stay tight), then the most specific coverage (district team before city before province team),
   then the most room left, then the team id.
4. The compliance checker (the shared engine behind `VisitCompliance`) sees the proposal — the
   whole band, the place, the agents — before it is taken and is told when it is (R-14 window,
   R-15/R-16 caps, R-17 holds, R-36). A refusal is kept with its reasons.
5. Every visit ends in exactly one team plan or in `not_planned` with a reason.

The ordering rule of a team plan: bands in time order (daytime before evening); within a band the
areas are nested groups — provinces ordered by the earliest deadline among their visits, within a
province its cities likewise, within a city its districts likewise (name breaks ties) — and within
a district the visits by deadline, then id. So one district's visits follow each other, and the
first visit of each band is its most urgent one. Each visit then gets a slot of `slot_minutes` in
its band, one after the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from recoup_shared.calendar import WorkingCalendar

from .compliance import VisitCompliance, VisitProposal
from .model import Place, TimeBand, VisitState
from .plan_model import (
    Area,
    DayPlan,
    NotPlanned,
    PlannedVisit,
    PlannerConfig,
    PlanVisit,
    Team,
    TeamPlan,
)
from .plan_model import (
    NotPlannedReason as R,
)
from .slots import band_for, place_of

_NO_DUE = date.max


@dataclass(slots=True)
class _TeamDay:
    team: Team
    agents: tuple[str, ...]
    left: int
    band_left: dict[str, int]
    districts: Counter = field(default_factory=Counter)
    taken: list[tuple[PlanVisit, Place, TimeBand, tuple[str, ...]]] = field(default_factory=list)


def _due(v: PlanVisit) -> date:
    return v.due_on or _NO_DUE


def _team_days(teams: Iterable[Team], bands: dict[Place, TimeBand | None],
               cfg: PlannerConfig) -> list[_TeamDay]:
    used = sorted({b for b in bands.values() if b is not None}, key=lambda b: b.start)
    for a, b in zip(used, used[1:]):
        if a.name == b.name or b.start < a.end:  # one team cannot be in two places at once
            raise ValueError(f"time bands {a.name} and {b.name} overlap or share a name")
    slots = {b.name: b.minutes() // cfg.slot_minutes for b in used}
    out, seen = [], set()
    for team in teams:
        if team.team_id in seen:
            raise ValueError(f"team {team.team_id} given twice")
        seen.add(team.team_id)
        agents = tuple(dict.fromkeys(a.agent_id for a in team.agents if a.available))
        capacity = cfg.team_capacity if team.capacity is None else team.capacity
        out.append(_TeamDay(team, agents, capacity, dict(slots)))
    return out


class _Coverage:
    """Which teams cover an area, with how specifically (3 district, 2 city, 1 province)."""

    def __init__(self, teams: list[_TeamDay]) -> None:
        self._by_key: dict[tuple[str, ...], list[tuple[_TeamDay, int]]] = {}
        for td in teams:
            for cov in td.team.coverage:
                self._by_key.setdefault(cov.key, []).append((td, len(cov.key)))
        self._cache: dict[Area, list[tuple[_TeamDay, int]]] = {}

    def of(self, area: Area) -> list[tuple[_TeamDay, int]]:
        found = self._cache.get(area)
        if found is None:
            best: dict[str, tuple[_TeamDay, int]] = {}
            for key in ((area.province,), (area.province, area.city),
                        (area.province, area.city, area.district)):
                for td, spec in self._by_key.get(key, ()):
                    best[td.team.team_id] = (td, spec)  # later keys are more specific
            found = self._cache[area] = list(best.values())
        return found


def _agents_for(v: PlanVisit, td: _TeamDay, cfg: PlannerConfig) -> tuple[str, ...]:
    if v.special_population:                     # R-16 at most two, R-36 at least two
        return td.agents[:cfg.special_population_agents]
    return td.agents if cfg.agents_per_visit is None else td.agents[:cfg.agents_per_visit]


def _choose(v: PlanVisit, band: TimeBand, cands: list[tuple[_TeamDay, int]],
            cfg: PlannerConfig) -> _TeamDay | NotPlanned:
    if not cands:
        return NotPlanned(v.visit_id, v.case_id, R.NO_TEAM_FOR_AREA,
                          (f"no team covers {v.area.province}/{v.area.city}/{v.area.district}",))
    need = max(cfg.slots.min_agents, cfg.special_population_agents if v.special_population else 0)
    best, best_key, staffed, day_full = None, None, 0, 0
    for td, spec in cands:                    # one pass: this runs once per visit
        if len(td.agents) < need:
            continue
        staffed += 1
        if td.left <= 0:
            day_full += 1
        elif td.band_left[band.name] > 0:
            key = (-td.districts[v.area], -spec, -td.left, td.team.team_id)
            if best_key is None or key < best_key:
                best, best_key = td, key
    if best is not None:
        return best
    if not staffed:
        return NotPlanned(v.visit_id, v.case_id, R.NO_AGENTS,
                          (f"{len(cands)} covering team(s), none with {need} agents on duty",))
    return NotPlanned(v.visit_id, v.case_id, R.NO_CAPACITY,
                      (f"{staffed} covering team(s) full: {day_full} for the day, "
                       f"{staffed - day_full} in the {band.name} band",))


def _proposal(v: PlanVisit, day: date, band: TimeBand, place: Place, agents: tuple[str, ...],
              moments: dict) -> VisitProposal:
    span = moments.get((band, v.zone))
    if span is None:
        span = moments[(band, v.zone)] = (datetime.combine(day, band.start, tzinfo=v.zone),
                                          datetime.combine(day, band.end, tzinfo=v.zone))
    return VisitProposal(visit_id=v.visit_id, case_id=v.case_id, day=day, start=span[0],
                         end=span[1], agent_ids=agents, special_population=v.special_population,
                         client_id=v.client_id, zone=v.zone, place=place)


def _precheck(v: PlanVisit, day: date, band: TimeBand | None, place: Place) -> NotPlanned | None:
    if v.state is not VisitState.APPROVED:
        return NotPlanned(v.visit_id, v.case_id, R.NOT_APPROVED, (f"state is {v.state.value}",))
    if v.not_before is not None and v.not_before > day:
        return NotPlanned(v.visit_id, v.case_id, R.NOT_DUE_YET, (f"not before {v.not_before}",))
    if band is None:
        return NotPlanned(v.visit_id, v.case_id, R.NO_SLOT_TODAY,
                          (f"no {place.value} visits on {day} (R-36)",))
    return None


def plan_day(day: date, visits: Iterable[PlanVisit], teams: Iterable[Team],
             compliance: VisitCompliance, calendar: WorkingCalendar,
             cfg: PlannerConfig = PlannerConfig()) -> DayPlan:
    """Plan `day` (debtor-local date) for `teams`; see the module doc for the rules."""
    visits = list(visits)
    if len({v.visit_id for v in visits}) != len(visits):
        raise ValueError("a visit is given twice")
    bands = {p: band_for(p, day, calendar, cfg.slots) for p in Place}
    team_days = _team_days(teams, bands, cfg)
    coverage = _Coverage(team_days)
    not_planned: list[NotPlanned] = []
    moments: dict = {}
    for v in sorted(visits, key=lambda v: (_due(v), v.visit_id)):
        place = place_of(v.address_kind, cfg.slots)
        band = bands[place]
        refused = _precheck(v, day, band, place)
        chosen = refused or _choose(v, band, coverage.of(v.area), cfg)
        if isinstance(chosen, NotPlanned):
            not_planned.append(chosen)
            continue
        agents = _agents_for(v, chosen, cfg)
        proposal = _proposal(v, day, band, place, agents, moments)
        verdict = compliance.check(proposal)
        if not verdict.allowed:
            not_planned.append(NotPlanned(v.visit_id, v.case_id, R.REFUSED_BY_COMPLIANCE,
                                          tuple(f"{r.code}: {r.detail}" for r in verdict.refusals),
                                          verdict.refusals))
            continue
        compliance.commit(proposal)
        chosen.left -= 1
        chosen.band_left[band.name] -= 1
        chosen.districts[v.area] += 1
        chosen.taken.append((v, place, band, agents))
    plans = tuple(_team_plan(td, day, cfg) for td in team_days if td.taken)
    return DayPlan(day=day, plans=plans, not_planned=tuple(not_planned))


def _order(taken: list[tuple[PlanVisit, Place, TimeBand, tuple[str, ...]]]) -> list:
    """The ordering rule (module doc): band, then nested area groups by earliest deadline."""
    prov: dict[tuple, date] = {}
    city: dict[tuple, date] = {}
    dist: dict[tuple, date] = {}
    for v, _, band, _ in taken:
        a, due, b = v.area, _due(v), band.start
        for store, key in ((prov, (b, a.province)), (city, (b, a.province, a.city)),
                           (dist, (b, a.province, a.city, a.district))):
            if key not in store or due < store[key]:
                store[key] = due

    def key(item):
        v, _, band, _ = item
        a, b = v.area, band.start
        return (b, prov[(b, a.province)], a.province, city[(b, a.province, a.city)], a.city,
                dist[(b, a.province, a.city, a.district)], a.district, _due(v), v.visit_id)

    return sorted(taken, key=key)


def _team_plan(td: _TeamDay, day: date, cfg: PlannerConfig) -> TeamPlan:
    slot = timedelta(minutes=cfg.slot_minutes)
    used: Counter = Counter()
    out = []
    for v, place, band, agents in _order(td.taken):
        start = datetime.combine(day, band.start, tzinfo=v.zone) + used[band.name] * slot
        used[band.name] += 1
        out.append(PlannedVisit(visit_id=v.visit_id, case_id=v.case_id, due_on=v.due_on,
                                area=v.area, place=place, band=band.name, start=start,
                                end=start + slot, agent_ids=agents,
                                special_population=v.special_population))
    return TeamPlan(team_id=td.team.team_id, day=day, visits=tuple(out))
