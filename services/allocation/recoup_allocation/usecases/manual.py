"""R-10 manual allocation: one case or a selection to a named collector."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..rules import Strategy, manual_plan
from ..rules.errors import CollectorNotFound, ManualRefused, NotInScope, TooManyCases, required_field
from ..store import plans, pool, staff
from ..store import scope as store_scope
from ..views.plans import plan_out
from .commands import ManualAllocation
from .commit import apply_and_emit
from .common import compute, joint_owner_map, save_plan, summarize_plan, to_case
from .previews import CASE_FILTER_FIELDS, filter_dump
from .scope import restrict_to_lead

log = get_logger(__name__)

# A filter field that selects something (status alone, default "unassigned", selects the pool).
FILTERS = ("client_id", "placement_id", "dpd_buckets", "regions", "products", "amount_min",
           "amount_max", "owner_ids", "owner_team_ids")


async def _selected(conn: asyncpg.Connection, ctx: Ctx, req: ManualAllocation,
                    lead_team: str | None) -> tuple[list[asyncpg.Record], dict[str, str]]:
    """The cases asked for: by id (unknown ids are reported, never dropped; a team lead's ids
    outside their reach are refused as `other_team`) or by the filter (within their reach)."""
    if req.case_ids is not None:
        rows = await pool.select_for_plan(conn, statuses=None, case_ids=req.case_ids,
                                          limit=len(req.case_ids) + 1)
        found = {r["case_id"] for r in rows}
        extra = {c: "case_not_found" for c in req.case_ids if c not in found}
        if lead_team is not None:
            reached = await store_scope.cases_reached(conn, list(found), lead_team)
            extra.update({c: "other_team" for c in found if c not in reached})
            rows = [r for r in rows if r["case_id"] in reached]
        return rows, extra
    limit = ctx.settings.preview_max_cases
    rows = await pool.select_for_plan(
        conn, statuses=[req.status], client_id=req.client_id, placement_id=req.placement_id,
        dpd_buckets=req.dpd_buckets, regions=req.regions, products=req.products,
        amount_min=req.amount_min, amount_max=req.amount_max, owner_ids=req.owner_ids,
        owner_team_ids=req.owner_team_ids, lead_team=lead_team, limit=limit + 1)
    if len(rows) > limit:
        raise TooManyCases(f"the filter selects more than {limit} cases")
    return rows, {}


def _usable(rows: list[asyncpg.Record], extra: dict[str, str]) -> list[asyncpg.Record]:
    usable = []
    for r in rows:
        if r["status"] not in ("unassigned", "assigned"):
            extra[r["case_id"]] = "case_not_allocatable"  # paused, closed, recalled
        else:
            usable.append(r)
    return usable


async def manual(conn: asyncpg.Connection, ctx: Ctx, p: Principal, req: ManualAllocation) -> dict[str, Any]:
    """Give one case or a selection to a named collector. Eligibility (R-9) always holds; capacity
    may be overridden with force (recorded on the plan). All-or-nothing unless `partial`."""
    if req.case_ids is None and not any(getattr(req, f) for f in FILTERS):
        raise required_field("case_ids", "case_ids or a filter is required",
                             "give case_ids or a filter (client_id, placement_id, ...)")
    lead_team = await restrict_to_lead(conn, p)
    if not req.preview:
        await plans.lock_allocation(conn)
    target = await staff.get_collector(conn, req.collector_id)
    if target is None:
        raise CollectorNotFound(f"no collector {req.collector_id}")
    if lead_team is not None and target["team_id"] != lead_team:
        raise NotInScope("a team lead assigns to collectors of their own team only")
    rows, extra = await _selected(conn, ctx, req, lead_team)
    usable = _usable(rows, extra)
    loads = {c.collector_id: c for c in await staff.collector_loads(conn, include_inactive=True)}
    if req.force and req.collector_id in loads:
        loads[req.collector_id] = replace(loads[req.collector_id], max_open_cases=None,
                                          max_open_amount=None)
    joint = await joint_owner_map(conn, usable, {r["case_id"] for r in rows})
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in usable})
    plan = await compute(manual_plan, [to_case(r) for r in usable], req.collector_id,
                         list(loads.values()), rules, joint_owners=joint)
    by_id = {r["case_id"]: r for r in usable}
    items = [(case_id, cid, target["team_id"], by_id[case_id]["collector_id"], by_id[case_id]["version"])
             for case_id, cid in plan.assignments.items()]
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(rows) + sum(
        1 for v in extra.values() if v in ("case_not_found", "other_team")),
        amounts={r["case_id"]: r["placed_amount"] for r in usable}, item_ids={i[0] for i in items},
        extra_unassigned=extra, list_all_collectors=False)
    refused = summary["cases_unassigned"]
    if refused and not req.partial and not req.preview:
        raise ManualRefused(f"{refused} case(s) cannot go to {req.collector_id}; nothing was assigned "
                            "(send partial=true to assign the others)",
                            unassigned=summary["unassigned"], unassigned_cases=summary["unassigned_cases"])
    filters = filter_dump(req, CASE_FILTER_FIELDS if req.case_ids is None else ("case_ids",))
    filters.update(collector_id=req.collector_id)
    if req.note:
        filters["note"] = req.note
    row = await save_plan(conn, ctx, kind="manual", strategy=str(Strategy.MANUAL), created_by=p.sub,
                          summary=summary, items=items, filters=filters, forced=req.force)
    if req.force:
        log.warning("manual allocation with capacity override", plan_id=str(row["plan_id"]),
                    by=p.sub, collector_id=req.collector_id, cases=len(items))
    if req.preview:
        return plan_out(row, ctx.clock.now(), committed=0, events=0)
    n = await apply_and_emit(conn, ctx, row, by=p.sub, strict=True)
    return plan_out(await plans.get_plan(conn, row["plan_id"]), ctx.clock.now(), committed=n, events=n)
