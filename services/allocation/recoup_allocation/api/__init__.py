"""Routes only: parse, authorise (a typed role dependency; the object check is in the use case),
call one use case, answer. By area: people and rules, allocation plans, cases, reports."""

from . import allocations, cases, reports, staff

ROUTERS = [staff.router, allocations.router, cases.router, reports.router]

__all__ = ["ROUTERS"]
