"""BillingSettings: the bottom floor — every value typed, with a local default (RECOUP_<FIELD>) —
and the role sets of billing's routes (R-45)."""

from __future__ import annotations

from pydantic import Field

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

# who may do what in billing (the typed dependencies in api/deps.py are built from these).
FINANCE = (Role.FINANCE, Role.ADMIN)                                  # fee schedules, issue, re-issue
READERS = (Role.FINANCE, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)   # statements (drafts too), rates
EXCLUSION_WRITERS = (Role.FINANCE, Role.SUPERVISOR, Role.ADMIN)       # R-42 evidence
PERFORMANCE_READERS = (*READERS, Role.TEAM_LEAD)                      # a team lead: own team only


class BillingSettings(ServiceSettings):
    service_name: str = "billing"
    # A client without a schedule in force: 409 (False) or bill with rules.default_schedule (True).
    default_schedule_fallback: bool = False
    # Issuing a month that is not over yet is refused unless this is on (tests, demos).
    allow_issue_open_month: bool = False
    # How many not-counted repayments a statement lists inline (the full list is paged).
    not_counted_sample: int = Field(default=50, ge=0)
    # Transaction-local work_mem for the month close (hash joins over cases ⋈ repayments).
    close_work_mem: str = "256MB"
