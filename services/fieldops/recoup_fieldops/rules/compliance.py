"""The compliance check a visit passes before it is planned and when it is recorded (R-14, R-15,
R-16, R-17, R-36) — answered by ONE rule set: the shared engine `recoup_shared.compliance`.

The planner depends only on the small `VisitCompliance` protocol below (a session: `check` asks
about one proposal, `commit` tells the checker that the proposal was taken, so later proposals of
the same run count it — two visits of one case in one plan must not both pass a cap of one). The
implementation is `EngineCompliance` (visit_gate.py), an adapter over `compliance.decide`:
- in the service, each case's effective policy comes from the levels fieldops keeps from
  `policy.changed` plus the case level its client flags imply, the history from its own table of
  planned and recorded visits;
- `CapsAndWindow` below builds the same adapter from a plain `ComplianceConfig` (one window for
  every day, per-client windows, the caps): the tests' and the benchmark's checker, and a checker
  usable without any stored policy. It is no second rule set: its config becomes policy levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from recoup_shared.calendar import WorkingCalendar
from recoup_shared.compliance import (
    Attempt,
    Channel,
    EffectivePolicy,
    LevelKind,
    SourceKind,
    ZoneSource,
    effective_policy,
    resolve_zones,
    validate_level,
)
from recoup_shared.compliance.windows import DAY_KEYS

from .model import SHANGHAI, Place


@dataclass(frozen=True, slots=True)
class VisitProposal:
    """One visit at a proposed time (aware datetimes: a planner band, or the recorded arrival and
    departure), with the agents who would go and where (R-36 workplace rule)."""

    visit_id: str
    case_id: str
    day: date                        # the debtor-local day of the visit
    start: datetime
    end: datetime
    agent_ids: tuple[str, ...]
    special_population: bool = False
    client_id: str | None = None
    zone: ZoneInfo = SHANGHAI        # the debtor's zone
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a proposal is refused: the engine's stable rule id (compliance.RULES), its reference
    (R-number), a human detail, and what the engine knows (limit, count, next allowed moment)."""

    code: str
    detail: str
    ref: str = ""
    limit: int | None = None
    count: int | None = None
    next_allowed: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.code, "ref": self.ref, "detail": self.detail, "limit": self.limit,
                "count": self.count,
                "next_allowed": self.next_allowed.isoformat() if self.next_allowed else None}


@dataclass(frozen=True, slots=True)
class Verdict:
    refusals: tuple[Refusal, ...] = ()
    policy_fingerprint: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusals

    def reasons(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.refusals]


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


def _window_values(lo: time, hi: time) -> dict[str, list[str]]:
    text = f"{lo:%H:%M}-{hi:%H:%M}"
    return {f"windows.{d}": [text] for d in DAY_KEYS}


def config_policy(cfg: ComplianceConfig, client_id: str | None, special: bool) -> EffectivePolicy:
    """The engine policy a ComplianceConfig stands for: system level = the defaults, client level
    = the client's window, case level = the special-population mark (R-16)."""
    system = validate_level({
        **_window_values(cfg.window_start, cfg.window_end),
        "caps.visits_per_day": cfg.max_visits_per_case_per_day,
        "special_population.visits_per_period": cfg.special_visits_per_week,
        "special_population.visit_period_days": 7,
        "special_population.max_visit_agents": cfg.special_max_agents,
    }, LevelKind.SYSTEM)
    levels = [system]
    if client_id in cfg.client_windows:
        lo, hi = cfg.client_windows[client_id]
        levels.append(validate_level(_window_values(lo, hi), LevelKind.CLIENT, scope=client_id))
    if special:
        levels.append(validate_level({"special_population.kind": "client_flag"}, LevelKind.CASE))
    return effective_policy(levels)


def history_attempts(history: Iterable[tuple[str, date]],
                     zone: ZoneInfo = SHANGHAI) -> list[tuple[str, Attempt]]:
    """(case_id, day) of visits done or planned → engine attempts (noon debtor time, one each)."""
    return [(case_id, Attempt(at=datetime.combine(day, time(12), tzinfo=zone), channel=Channel.VISIT))
            for case_id, day in history]


def CapsAndWindow(cfg: ComplianceConfig = ComplianceConfig(),  # noqa: N802 - kept as a class name
                  history: Iterable[tuple[str, date]] = (),
                  calendar: WorkingCalendar | None = None):
    """The engine adapter configured by `cfg` (see the module doc); `history` holds (case_id, day)
    of visits already done or planned outside this session (each one visit)."""
    from .visit_gate import CasePolicy, EngineCompliance

    cache: dict[tuple, CasePolicy] = {}

    def policy_of(p: VisitProposal) -> CasePolicy:
        key = (p.client_id, p.special_population, p.zone.key)
        found = cache.get(key)
        if found is None:
            zones = resolve_zones([ZoneSource(SourceKind.EXPLICIT, zone=p.zone.key)])
            found = cache[key] = CasePolicy(config_policy(cfg, p.client_id, p.special_population),
                                            zones)
        return found

    return EngineCompliance(policy_of, history_attempts(history), calendar)
