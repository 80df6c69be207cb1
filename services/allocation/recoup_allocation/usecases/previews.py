"""Previews: R-10 allocation and reassignment, R-12 rotation. Nothing changes until commit."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..rules import Strategy, is_stalled, plan_allocation, plan_rotation
from ..rules.errors import NotInScope, TooManyCases
from ..store import facts, plans, pool, staff
from ..views.plans import plan_out
from .commands import PreviewAllocation, PreviewRotation
from .common import (
    bulk_stage, compute, joint_owner_map, released_loads, save_plan, summarize_plan, to_case,
)
from .scope import check_collectors_in_team, restrict_to_lead

log = get_logger(__name__)

CASE_FILTER_FIELDS = ("client_id", "placement_id", "status", "case_ids", "dpd_buckets", "regions",
                      "products", "amount_min", "amount_max", "owner_ids", "owner_team_ids")


def filter_dump(req: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The request's filter as recorded on the plan (long id lists are recorded by count)."""
    out: dict[str, Any] = {}
    for f in fields:
        v = getattr(req, f, None)
        if v is None:
            continue
        if isinstance(v, list) and len(v) > 1000:
            out[f + "_count"] = len(v)
        else:
            out[f] = v if not isinstance(v, Decimal) else str(v)
    return out


async def _default_strategy(conn: asyncpg.Connection, ctx: Ctx, client_ids: set[str]) -> Strategy:
    if len(client_ids) == 1:
        row = await staff.get_client_rules_row(conn, next(iter(client_ids)))
        if row is not None:
            return Strategy(row["default_strategy"])
    return Strategy(ctx.settings.default_strategy)


def _lead_teams(req: PreviewAllocation, lead_team: str | None) -> list[str] | None:
    """The collectors' teams a preview may use: a team lead allocates to their own team only."""
    if lead_team is None:
        return req.team_ids
    if req.team_ids and set(req.team_ids) != {lead_team}:
        raise NotInScope("a team lead allocates to their own team only")
    if req.owner_team_ids and set(req.owner_team_ids) != {lead_team}:
        raise NotInScope("a team lead reassigns their own team's cases only")
    return [lead_team]


@bulk_stage
async def preview_allocation(conn: asyncpg.Connection, ctx: Ctx, p: Principal,
                             req: PreviewAllocation) -> dict[str, Any]:
    """R-10 preview: place the filtered cases with the chosen strategy over the chosen
    collectors (a team lead: their own team); nothing changes until commit."""
    lead_team = await restrict_to_lead(conn, p)
    team_ids = _lead_teams(req, lead_team)
    await check_collectors_in_team(conn, req.collector_ids, lead_team)
    reassign = req.status == "assigned"
    limit = ctx.settings.preview_max_cases
    rows = await pool.select_for_plan(
        conn, statuses=[req.status], client_id=req.client_id, placement_id=req.placement_id,
        case_ids=req.case_ids, dpd_buckets=req.dpd_buckets, regions=req.regions,
        products=req.products, amount_min=req.amount_min, amount_max=req.amount_max,
        owner_ids=req.owner_ids,
        owner_team_ids=req.owner_team_ids or ([lead_team] if reassign and lead_team else None),
        lead_team=lead_team, limit=limit + 1)
    if len(rows) > limit:
        raise TooManyCases(f"the filter selects more than {limit} cases; narrow it (client, "
                           "placement, bucket, amount range)")
    strategy = req.strategy or await _default_strategy(conn, ctx, {r["client_id"] for r in rows})
    loads = {c.collector_id: c for c in await staff.collector_loads(
        conn, team_ids=team_ids, collector_ids=req.collector_ids)}
    if reassign:
        loads = released_loads(loads, rows)
    joint = await joint_owner_map(conn, rows, {r["case_id"] for r in rows})
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in rows})
    plan = await compute(plan_allocation, [to_case(r, owned=not reassign) for r in rows],
                         list(loads.values()), rules, strategy, joint_owners=joint)
    by_id = {r["case_id"]: r for r in rows}
    items: list[plans.Item] = []
    kept_back = 0
    for case_id, cid in plan.assignments.items():
        r = by_id[case_id]
        if r["collector_id"] == cid:
            kept_back += 1
            continue
        items.append((case_id, cid, loads[cid].team_id, r["collector_id"], r["version"]))
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(rows),
                                   amounts={r["case_id"]: r["placed_amount"] for r in rows},
                                   item_ids={i[0] for i in items}, extra_unassigned={},
                                   extra_kept=kept_back)
    filters = filter_dump(req, CASE_FILTER_FIELDS)
    filters.update(filter_dump(req, ("team_ids", "collector_ids")))
    if team_ids and not req.team_ids:
        filters["team_ids"] = team_ids
    row = await save_plan(conn, ctx, kind="allocation", strategy=str(strategy), created_by=p.sub,
                          summary=summary, items=items, filters=filters, client_id=req.client_id)
    log.info("allocation previewed", plan_id=str(row["plan_id"]), strategy=str(strategy),
             cases=len(rows), planned=len(items))
    return plan_out(row, ctx.clock.now())


@bulk_stage
async def preview_rotation(conn: asyncpg.Connection, ctx: Ctx, p: Principal, req: PreviewRotation,
                           *, ttl_minutes: int | None = None) -> dict[str, Any]:
    """R-12: cases with no repayment in `req.month` and no live PTP today move to a collector
    other than their current and previous owner (a team lead: within their own team)."""
    lead_team = await restrict_to_lead(conn, p)
    strategy = Strategy(req.strategy or ctx.settings.rotation_strategy)
    as_of = ctx.clock.today()
    team_ids = req.team_ids
    rows = await facts.rotation_candidates(conn, month=req.month, as_of=as_of, client_id=req.client_id)
    if lead_team is not None:
        if team_ids and set(team_ids) != {lead_team}:
            raise NotInScope("a team lead rotates within their own team only")
        await check_collectors_in_team(conn, req.collector_ids, lead_team)
        team_ids = [lead_team]
        rows = [r for r in rows if r["team_id"] == lead_team]
    skip_flags = set(ctx.settings.rotation_skip_flags)
    flagged = {r["case_id"]: "collection_stopped_flag" for r in rows if skip_flags.intersection(r["flags"])}
    stalled = [r for r in rows if r["case_id"] not in flagged
               and is_stalled(payments_in_month=r["repaid"], live_ptp=r["live_ptp"])]
    stalled_ids = {r["case_id"] for r in stalled}
    # a debtor rotates as one, and only when none of their cases shows willingness to pay.
    others = await facts.assigned_with_joint_keys(conn, sorted({r["joint_key"] for r in stalled if r["joint_key"]}))
    blocked = {o["joint_key"] for o in others if o["case_id"] not in stalled_ids}
    movable = [r for r in stalled if r["joint_key"] not in blocked]
    extra = {r["case_id"]: "joint_debt_not_stalled" for r in stalled if r["joint_key"] in blocked}
    extra.update(flagged)
    loads = {c.collector_id: c for c in await staff.collector_loads(
        conn, team_ids=team_ids, collector_ids=req.collector_ids)}
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in movable})
    plan = await compute(plan_rotation, [to_case(r) for r in movable], list(loads.values()), rules, strategy)
    by_id = {r["case_id"]: r for r in movable}
    items = [(case_id, cid, loads[cid].team_id, by_id[case_id]["collector_id"], by_id[case_id]["version"])
             for case_id, cid in plan.assignments.items()]
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(stalled) + len(flagged),
                                   amounts={r["case_id"]: r["placed_amount"] for r in movable},
                                   item_ids={i[0] for i in items}, extra_unassigned=extra)
    summary.update(month=req.month, as_of=as_of, cases_considered=len(rows),
                   cases_with_willingness=len(rows) - len(stalled) - len(flagged))
    filters: dict[str, Any] = {"month": req.month.isoformat(), "as_of": as_of.isoformat()}
    if req.client_id:
        filters["client_id"] = req.client_id
    if team_ids:
        filters["team_ids"] = list(team_ids)
    if req.collector_ids:
        filters["collector_ids"] = list(req.collector_ids)
    row = await save_plan(conn, ctx, kind="rotation", strategy=str(strategy), created_by=p.sub,
                          summary=summary, items=items, filters=filters, client_id=req.client_id,
                          month=req.month, ttl_minutes=ttl_minutes)
    log.info("rotation previewed", plan_id=str(row["plan_id"]), month=req.month.isoformat(),
             client_id=req.client_id, stalled=len(stalled), planned=len(items))
    return plan_out(row, ctx.clock.now())
