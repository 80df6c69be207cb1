"""Typed dependencies of this service's routes: Conn (one transaction per request), Pool (for the
evidence routes, which hold no transaction while bytes stream), Context (the service's Ctx) and
the role dependencies (R-45; settings.py says who is who)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import JSONResponse

from recoup_shared.api import Conn, Pool, get_context, roles  # noqa: F401 - re-exported for routes
from recoup_shared.errors import problem_response

from .. import settings as s
from ..context import Ctx
from ..rules.errors import VisitRefused

Context = Annotated[Ctx, Depends(get_context)]
Requester = roles(*s.REQUESTERS)
Approver = roles(*s.APPROVERS)
Canceller = roles(*s.CANCELLERS)
VisitReader = roles(*s.VISIT_READERS)
EscalationReader = roles(*s.ESCALATION_READERS)
FieldWorker = roles(*s.FIELD_AGENTS, *s.FIELD_MANAGERS)
FieldAgent = roles(*s.FIELD_AGENTS)
Planner = roles(*s.PLANNERS)
PlanReader = roles(*s.PLAN_READERS)
TeamAdmin = roles(*s.TEAM_ADMINS)
EvidenceReader = roles(*s.EVIDENCE_READERS)
EvidenceDeleter = roles(*s.EVIDENCE_DELETERS)
ComplianceReader = roles(*s.COMPLIANCE_READERS)


async def keeping_refusals(call: Awaitable[Any]) -> Any:
    """Runs a use case that may be refused by the compliance gate: the refusal is answered as
    problem+json (409, with its reasons) from here, so the request's transaction commits the
    refusal record instead of rolling it back with a raised error."""
    try:
        return await call
    except VisitRefused as refused:
        return problem_response(refused.status, refused.body())


__all__ = ["Conn", "Context", "JSONResponse", "Pool", "keeping_refusals"]
