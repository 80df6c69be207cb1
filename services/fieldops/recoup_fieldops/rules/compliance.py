"""The compliance check a visit passes before it is planned (R-14, R-15, R-16).

The shared compliance engine (`recoup_shared.compliance`) is being written in parallel and its API
is not fixed, so the planner depends only on the small `VisitCompliance` protocol below. The real
one will be an adapter over the engine, built per planning run with the history the service loads
(visits done or planned around the day). `CapsAndWindow` is a complete default implementation of
the three rules, used by the tests and usable until the engine exists.

The protocol is a session: `check` asks about one proposal, `commit` tells the checker that the
proposal was taken, so later proposals of the same run count it (two visits of one case in one
plan must not both pass a cap of one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from .model import SHANGHAI


@dataclass(frozen=True, slots=True)
class VisitProposal:
    """One visit at a proposed time band (aware datetimes), with the agents who would go."""

    visit_id: str
    case_id: str
    day: date                        # the debtor-local day of the visit
    start: datetime
    end: datetime
    agent_ids: tuple[str, ...]
    special_population: bool = False
    client_id: str | None = None
    zone: ZoneInfo = SHANGHAI        # the debtor's zone


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a proposal is refused: a stable code (with its rule) and a human detail."""

    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class Verdict:
    refusals: tuple[Refusal, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.refusals


ALLOWED = Verdict()


class VisitCompliance(Protocol):
    def check(self, proposal: VisitProposal) -> Verdict:
        """Would this visit, at this time and with these agents, be compliant?"""

    def commit(self, proposal: VisitProposal) -> None:
        """The proposal was planned: count it for the rest of the session."""


@dataclass(frozen=True, slots=True)
class ComplianceConfig:
    """Domain defaults: R-14 window 08:00–21:00 debtor time (per-client overrides, e.g. 09:00),
    R-15 at most 2 visits per case per day, R-16 special populations at most one visit a week
    (any 7 consecutive days) with at most two agents."""

    window_start: time = time(8)
    window_end: time = time(21)
    client_windows: Mapping[str, tuple[time, time]] = field(default_factory=dict)
    max_visits_per_case_per_day: int = 2
    special_visits_per_week: int = 1
    special_max_agents: int = 2

    def window(self, client_id: str | None) -> tuple[time, time]:
        return self.client_windows.get(client_id or "", (self.window_start, self.window_end))


class CapsAndWindow:
    """Default VisitCompliance: R-14 window, R-15 daily visit cap, R-16 weekly cap and agents.

    `history` holds (case_id, day) of visits already done or planned outside this session (each
    one visit); the service loads it for the days that matter (the day planned ± 6 days)."""

    def __init__(self, cfg: ComplianceConfig = ComplianceConfig(),
                 history: Iterable[tuple[str, date]] = ()) -> None:
        self.cfg = cfg
        self._days: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for case_id, day in history:
            self._days[case_id][day] += 1

    def check(self, proposal: VisitProposal) -> Verdict:
        refusals = [*self._window(proposal), *self._daily_cap(proposal)]
        if proposal.special_population:
            refusals += self._special(proposal)
        return Verdict(tuple(refusals)) if refusals else ALLOWED

    def commit(self, proposal: VisitProposal) -> None:
        self._days[proposal.case_id][proposal.day] += 1

    def _window(self, p: VisitProposal) -> list[Refusal]:
        lo, hi = self.cfg.window(p.client_id)
        start, end = p.start.astimezone(p.zone), p.end.astimezone(p.zone)
        inside = (start.date() == p.day and end.date() == p.day and lo <= start.time()
                  and end.time() <= hi and start <= end)
        if inside:
            return []
        return [Refusal("R-14.window", f"{start:%H:%M}-{end:%H:%M} on {p.day} is not within "
                                       f"{lo:%H:%M}-{hi:%H:%M} debtor time")]

    def _daily_cap(self, p: VisitProposal) -> list[Refusal]:
        done = self._days[p.case_id].get(p.day, 0)
        if done < self.cfg.max_visits_per_case_per_day:
            return []
        return [Refusal("R-15.visits_per_day",
                        f"case already has {done} visit(s) on {p.day} "
                        f"(at most {self.cfg.max_visits_per_case_per_day})")]

    def _special(self, p: VisitProposal) -> list[Refusal]:
        out = []
        near = sum(n for d, n in self._days[p.case_id].items() if abs((d - p.day).days) < 7)
        if near >= self.cfg.special_visits_per_week:
            out.append(Refusal("R-16.visits_per_week",
                               f"special population: {near} visit(s) within 7 days of {p.day} "
                               f"(at most {self.cfg.special_visits_per_week} a week)"))
        if len(p.agent_ids) > self.cfg.special_max_agents:
            out.append(Refusal("R-16.agents", f"special population: {len(p.agent_ids)} agents "
                                              f"(at most {self.cfg.special_max_agents})"))
        return out
