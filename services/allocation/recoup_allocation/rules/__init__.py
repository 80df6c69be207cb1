"""Pure allocation rules (R-8..R-13, R-20): no I/O, no framework imports."""

from .balance import summarize
from .eligibility import is_eligible
from .first_contact import FIRST_CONTACT_WORKING_DAYS, WorkingDays, first_contact_due
from .manual import manual_plan
from .model import (
    AllocCase,
    BalanceSummary,
    ClientRules,
    CollectorBalance,
    CollectorLoad,
    Plan,
    PlanNote,
    Strategy,
    UnassignedReason,
)
from .rotation import is_stalled, plan_rotation
from .sla import sla_deadline
from .strategies import DEFAULT_AMOUNT_TOLERANCE, plan_allocation

__all__ = [
    "AllocCase", "BalanceSummary", "ClientRules", "CollectorBalance", "CollectorLoad",
    "DEFAULT_AMOUNT_TOLERANCE", "FIRST_CONTACT_WORKING_DAYS", "Plan", "PlanNote", "Strategy",
    "UnassignedReason", "WorkingDays", "first_contact_due", "is_eligible", "is_stalled",
    "manual_plan", "plan_allocation", "plan_rotation", "sla_deadline", "summarize",
]
