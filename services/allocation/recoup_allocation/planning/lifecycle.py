"""Lifecycle by staff (R-13): pause releases the owner; resume prefers the previous owner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import Conflict, Forbidden, NotFound
from recoup_shared.logging import get_logger

from ..rules import Strategy, manual_plan
from ..store import plans, pool, staff
from .common import Ctx, save_plan, summarize_plan, to_case
from .commit import apply_and_emit

log = get_logger(__name__)


# --- lifecycle (R-13) -------------------------------------------------------------------------------
async def pause(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str, reason: str,
                lead_team: str | None) -> None:
    case = await pool.lock_case(conn, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    _lead_may_touch(case, lead_team)
    if case["status"] == "paused":
        raise Conflict("the case is already paused", type="case-already-paused", title="Already paused")
    if case["status"] in ("closed", "recalled"):
        raise Conflict(f"the case is {case['status']}", type="case-not-open", title="Case is not open")
    await pool.release(conn, [case_id], [ctx.now()], "paused", end_reason="paused",
                       from_statuses=("unassigned", "assigned"), pause=("staff", reason, p.sub))
    log.info("case paused", case_id=case_id, by=p.sub)


async def resume(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str, reason: str,
                 lead_team: str | None, return_to_previous_owner: bool) -> str | None:
    """Returns the collector the case went back to, if any."""
    if return_to_previous_owner:
        # Lock order of every allocation writer: the allocation lock first, then case rows.
        await plans.lock_allocation(conn)
    case = await pool.lock_case(conn, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    _lead_may_touch(case, lead_team)
    if case["status"] != "paused":
        raise Conflict(f"the case is {case['status']}, not paused", type="case-not-paused",
                       title="Case is not paused")
    blocking = sorted(set(case["flags"]) & set(ctx.settings.pause_on_flags))
    if blocking:
        raise Conflict(f"client flag {', '.join(blocking)} is set: the case resumes only on the "
                       "client's instruction (R-17)", type="client-flag-active", title="Client flag active")
    await pool.resume_paused(conn, [case_id])
    log.info("case resumed", case_id=case_id, by=p.sub, reason=reason)
    prev = case["previous_collector_id"]
    if return_to_previous_owner and prev:
        current = await pool.lock_case(conn, case_id)
        loads = {c.collector_id: c for c in await staff.collector_loads(conn, include_inactive=True)}
        if prev in loads and loads[prev].active:
            rules = await staff.client_rules_for(conn, [current["client_id"]])
            plan = manual_plan([to_case(current)], prev, loads.values(), rules)
            if plan.assignments:
                items = [(case_id, prev, loads[prev].team_id, None, current["version"])]
                summary = await summarize_plan(
                    conn, plan, loads=loads, selected=1, amounts={case_id: current["placed_amount"]},
                    item_ids={case_id}, extra_unassigned={}, list_all_collectors=False)
                row = await save_plan(conn, ctx, kind="manual", strategy=str(Strategy.MANUAL),
                                      created_by=p.sub, summary=summary, items=items,
                                      filters={"case_ids": [case_id], "resume": True, "note": reason,
                                               "fixed_reason": "reassignment"})
                await apply_and_emit(conn, ctx, row, by=p.sub, strict=True, fixed_reason="reassignment")
                return prev
    await pool.wake(conn)
    return None


def _lead_may_touch(case: Mapping[str, Any], lead_team: str | None) -> None:
    if lead_team is not None and case["team_id"] not in (None, lead_team):
        raise Forbidden("the case belongs to another team")
