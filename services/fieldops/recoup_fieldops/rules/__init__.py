"""Pure rules of field visits (R-34..R-37): no I/O, no clock, no web or database imports."""
# ruff: noqa: F401  (re-exports; __all__ is built below)

from .compliance import (
    ALLOWED,
    CapsAndWindow,
    ComplianceConfig,
    Refusal,
    Verdict,
    VisitCompliance,
    VisitProposal,
    config_policy,
    history_attempts,
)
from .deadlines import (
    DEFAULT_DEADLINES,
    DeadlineConfig,
    Within,
    add_days,
    escalation_at,
    is_escalated,
    is_overdue,
    visit_deadline,
)
from .lifecycle import approve, arrive, cancel, complete, depart, plan, reject, release, request_visit
from .model import (
    SHANGHAI,
    ApproverRole,
    CaseFacts,
    DayKind,
    Deadline,
    Decision,
    Place,
    Purpose,
    TimeBand,
    VisitRequest,
    VisitState,
)
from .plan_model import (
    Agent,
    Area,
    Coverage,
    DayPlan,
    NotPlanned,
    NotPlannedReason,
    PlannedVisit,
    PlannerConfig,
    PlanVisit,
    Team,
    TeamPlan,
)
from .planner import plan_day
from .visit_gate import CasePolicy, EngineCompliance, window_reason
from .slots import DEFAULT_SLOTS, SlotConfig, band_for, place_of, require_agents, slot_allows

__all__ = [name for name in dir() if not name.startswith("_")]
