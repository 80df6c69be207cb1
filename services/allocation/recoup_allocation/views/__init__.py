"""The read side, shaped for the API: named queries, not ad-hoc SQL in routes. By sub-domain:
cases (detail with history, owner on a date, worklists, team load), plans (a plan as shown, plan
lists, items, rotation runs), staff (teams, collectors, client rules), reports (R-8 SLA).

Reads only: the object checks that decide who may see what are in `usecases` (scope)."""

from . import cases, plans, reports, staff

__all__ = ["cases", "plans", "reports", "staff"]
