"""The read side, shaped for the API, by area: visits (detail, lists, escalations) and plans
(a day's team plans, the not-planned list, an agent's own day)."""

from .plans import day_plan, my_day, not_planned
from .visits import case_addresses, escalated, list_visits, visit_detail

__all__ = ["case_addresses", "day_plan", "escalated", "list_visits", "my_day", "not_planned",
           "visit_detail"]
