"""Inputs and outputs of the daily planner (R-34, R-36). Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .model import SHANGHAI, Place, VisitState
from .slots import DEFAULT_SLOTS, SlotConfig


class Area(NamedTuple):
    """Where an address is: 省 / 市 / 区(县). A tuple: hashed and compared in C (planner hot path)."""

    province: str
    city: str
    district: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """The part of the country a team works in: a province, a city, or one district of it."""

    province: str
    city: str | None = None
    district: str | None = None

    def __post_init__(self) -> None:
        if self.district is not None and self.city is None:
            raise ValueError("a district coverage needs its city")

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(p for p in (self.province, self.city, self.district) if p is not None)


@dataclass(frozen=True, slots=True)
class PlanVisit:
    """An approved visit waiting for a plan, with what the planner needs from case and request."""

    visit_id: str
    case_id: str
    due_on: date | None              # R-35 deadline (None: no deadline, planned after dated ones)
    area: Area
    address_kind: str                # household_registration | home | work | other
    special_population: bool = False
    state: VisitState = VisitState.APPROVED
    not_before: date | None = None   # e.g. an agreed appointment day
    client_id: str | None = None
    zone: ZoneInfo = SHANGHAI


@dataclass(frozen=True, slots=True)
class Agent:
    agent_id: str
    available: bool = True           # on duty that day (leave, sick, training → False)


@dataclass(frozen=True, slots=True)
class Team:
    team_id: str
    agents: tuple[Agent, ...]
    coverage: tuple[Coverage, ...]
    capacity: int | None = None      # visits per day; None → PlannerConfig.team_capacity


@dataclass(frozen=True, slots=True)
class PlannerConfig:
    """Team capacity per day, how long one visit takes (travel included), who goes on a visit."""

    team_capacity: int = 8
    slot_minutes: int = 60
    agents_per_visit: int | None = None      # None: every available agent of the team goes
    special_population_agents: int = 2       # R-16 at most two agents (and R-36 at least two)
    slots: SlotConfig = field(default=DEFAULT_SLOTS)

    def __post_init__(self) -> None:
        if self.team_capacity < 0 or self.slot_minutes <= 0:
            raise ValueError("team_capacity must be >= 0 and slot_minutes > 0")
        floor = self.slots.min_agents
        if self.special_population_agents < floor or (
                self.agents_per_visit is not None and self.agents_per_visit < floor):
            raise ValueError(f"a visit needs at least {floor} agents (R-36)")


class NotPlannedReason(StrEnum):
    NOT_APPROVED = "not_approved"            # not in the approved state (input error upstream)
    NOT_DUE_YET = "not_due_yet"              # not_before is after the day
    NO_SLOT_TODAY = "no_slot_today"          # e.g. a workplace on a rest day
    NO_TEAM_FOR_AREA = "no_team_for_area"    # no team covers the address's area
    NO_AGENTS = "no_agents"                  # covering teams have fewer than two agents on duty
    NO_CAPACITY = "no_capacity"              # covering teams are full (day or band)
    REFUSED_BY_COMPLIANCE = "refused_by_compliance"
    CASE_PAUSED = "case_paused"              # a paused case leaves every worklist (service)


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    visit_id: str
    case_id: str
    due_on: date | None
    area: Area
    place: Place
    band: str
    start: datetime                  # aware, debtor zone
    end: datetime
    agent_ids: tuple[str, ...]
    special_population: bool


@dataclass(frozen=True, slots=True)
class TeamPlan:
    """One team's day, in visiting order (see planner.py for the ordering rule)."""

    team_id: str
    day: date
    visits: tuple[PlannedVisit, ...]

    def by_area(self) -> list[tuple[Area, tuple[PlannedVisit, ...]]]:
        """Consecutive runs of one district, in order (a district may recur in a later band)."""
        runs: list[tuple[Area, list[PlannedVisit]]] = []
        for v in self.visits:
            if runs and runs[-1][0] == v.area:
                runs[-1][1].append(v)
            else:
                runs.append((v.area, [v]))
        return [(a, tuple(vs)) for a, vs in runs]


@dataclass(frozen=True, slots=True)
class NotPlanned:
    visit_id: str
    case_id: str
    reason: NotPlannedReason
    details: tuple[str, ...] = ()
    refusals: tuple[Any, ...] = ()   # compliance.Refusal of a REFUSED_BY_COMPLIANCE visit


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: date
    plans: tuple[TeamPlan, ...]
    not_planned: tuple[NotPlanned, ...]

    def planned_count(self) -> int:
        return sum(len(p.visits) for p in self.plans)
