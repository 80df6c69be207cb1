"""Commit (R-10): the optimistic, atomic write of a plan and its case.allocated events."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus import new_envelope, write_outbox
from recoup_shared.bus.topics import CASE_ALLOCATED
from recoup_shared.errors import Conflict, Forbidden, NotFound
from recoup_shared.logging import get_logger

from ..store import plans
from .common import CASES_ALLOCATED, SLA_SECONDS, Ctx, _FIXED_REASON, plan_out, restrict_to_lead

log = get_logger(__name__)


# --- commit -----------------------------------------------------------------------------------------
async def apply_and_emit(conn: asyncpg.Connection, ctx: Ctx, plan: Mapping[str, Any], *, by: str,
                         strict: bool, fixed_reason: str | None = None) -> int:
    """Write the plan: owners, ownership intervals, one case.allocated per moved case (outbox, same
    transaction). strict: any case changed since the preview → 409 and nothing is written."""
    now = ctx.now()
    due = ctx.first_contact_due(now)
    plan_id = plan["plan_id"]
    reason = fixed_reason or _FIXED_REASON[plan["kind"]]
    moved = await plans.apply_plan(conn, plan_id, strategy=plan["strategy"], fixed_reason=reason,
                                   now=now, first_contact_due=due)
    if strict and len(moved) != plan["items"]:
        stale = await plans.unmoved_items(conn, plan_id)
        raise Conflict(
            f"{plan['items'] - len(moved)} of {plan['items']} cases changed since the preview; "
            "nothing was committed — preview again", type="plan-stale", title="Plan is stale",
            changed_cases=[{"case_id": r["case_id"], "status": r["status"] if not r["missing"] else "missing",
                            "collector_id": r["collector_id"], "previewed_owner": r["previewed_owner"]}
                           for r in stale])
    if moved:
        at, due_s, pid, strategy = now.isoformat(), due.isoformat(), str(plan_id), plan["strategy"]
        events = []
        for r in moved:
            payload = {"collector_id": r["collector_id"], "strategy": strategy, "reason": r["reason"],
                       "plan_id": pid, "allocated_at": at, "first_contact_due": due_s}
            if r["team_id"] is not None:
                payload["team_id"] = r["team_id"]
            if r["previous_collector_id"] is not None:
                payload["previous_collector_id"] = r["previous_collector_id"]
            events.append((CASE_ALLOCATED, new_envelope(
                event_type=CASE_ALLOCATED, producer="allocation", client_id=r["client_id"],
                case_id=r["case_id"], payload=payload, correlation_id=pid, occurred_at=now)))
        await write_outbox(conn, events)
    await plans.mark_committed(conn, plan_id, by=by, at=now, committed=len(moved))
    await plans.supersede_overlapping(conn, plan_id)
    sla: dict[str, Any] = {}
    for r in moved:
        if r["first_allocation"]:
            child = sla.get(r["client_id"]) or sla.setdefault(r["client_id"], SLA_SECONDS.labels(r["client_id"]))
            child.observe((now - r["received_at"]).total_seconds())
    CASES_ALLOCATED.labels(plan["kind"]).inc(len(moved))
    return len(moved)


async def commit(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID) -> dict[str, Any]:
    """R-10: commit a previewed plan, atomically; 409 if it is not previewed any more, expired,
    stale (a case changed), or a receiving collector is now full or inactive."""
    lead_team = await restrict_to_lead(conn, p)
    await plans.lock_allocation(conn)
    plan = await plans.get_plan(conn, plan_id, for_update=True)
    if plan is None:
        raise NotFound(f"no plan {plan_id}")
    if lead_team is not None:
        if plan["created_by"] != p.sub and not plan["created_by"].startswith("system:"):
            raise Forbidden("a team lead commits their own plans (or the system's rotation previews)")
        if not await plans.plan_collectors_in_teams(conn, plan_id, lead_team):
            raise Forbidden("the plan gives cases to collectors outside your team")
    if plan["status"] != "previewed":
        raise Conflict(f"plan is {plan['status']}, only a previewed plan can be committed",
                       type="plan-not-previewed", title="Plan cannot be committed", plan_status=plan["status"])
    if plan["expires_at"] < ctx.now():
        raise Conflict(f"plan expired at {plan['expires_at'].isoformat()}; preview again",
                       type="plan-expired", title="Plan expired")
    if not plan["forced"]:
        bad = await plans.capacity_violations(conn, plan_id)
        if bad:
            raise Conflict("receiving collectors changed since the preview (capacity or status); "
                           "nothing was committed — preview again",
                           type="capacity-changed", title="Collectors changed",
                           collectors=[{"collector_id": r["collector_id"], "known": r["known"],
                                        "active": r["active"], "cases_after": r["cases_after"],
                                        "max_open_cases": r["max_open_cases"],
                                        "amount_after": str(r["amount_after"]),
                                        "max_open_amount": None if r["max_open_amount"] is None
                                        else str(r["max_open_amount"])} for r in bad])
    fixed = plan["filters"].get("fixed_reason") if plan["filters"] else None
    n = await apply_and_emit(conn, ctx, plan, by=p.sub, strict=True, fixed_reason=fixed)
    row = await plans.get_plan(conn, plan_id)
    log.info("plan committed", plan_id=str(plan_id), kind=plan["kind"], cases=n, by=p.sub)
    return plan_out(row, committed=n, events=n)
