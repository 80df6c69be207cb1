"""Routes only: parse, authorise, call a use case (planning) or a store read, shape the answer.
Split by sub-domain: people and rules, allocation plans, cases, reports."""

from . import allocations, cases, reports, staff

ROUTERS = [staff.router, allocations.router, cases.router, reports.router]

__all__ = ["ROUTERS"]
