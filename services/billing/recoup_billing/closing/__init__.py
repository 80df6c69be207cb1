"""Month close use cases (split by sub-domain): statements (draft, issue, re-issue, issued reads),
drill-down, recovery rates. Definitions: store/close.py; no-schedule behaviour: statement.py."""

from .drilldown import drill_down, not_counted_page
from .rates import recovery_rates
from .statement import (COHORT_DEFINITION, NOT_COUNTED_RULE, AlreadyIssued, Choice, CloseConfig, Draft,
                        MonthNotOver, NoFeeSchedule, NotIssued, compute_draft, issue, issued_out,
                        load_schedules, month_label, rate_shown, read_statement, resolve)

__all__ = [
    "COHORT_DEFINITION", "NOT_COUNTED_RULE", "AlreadyIssued", "Choice", "CloseConfig", "Draft", "MonthNotOver",
    "NoFeeSchedule", "NotIssued", "compute_draft", "issue", "issued_out", "load_schedules", "month_label",
    "rate_shown", "read_statement", "resolve", "drill_down", "not_counted_page", "recovery_rates",
]
