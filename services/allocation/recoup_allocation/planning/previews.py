"""Previews (R-10 allocation and reassignment, R-12 rotation) and manual assignment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import Conflict, Forbidden, NotFound, UnprocessableInput
from recoup_shared.logging import get_logger

from ..rules import Strategy, is_stalled, manual_plan, plan_allocation, plan_rotation
from ..store import facts, plans, pool, staff
from .common import (
    Ctx, bulk_stage, compute, joint_owner_map, plan_out, released_loads, restrict_to_lead, save_plan,
    summarize_plan, to_case,
)
from .commit import apply_and_emit

log = get_logger(__name__)


# --- previews ---------------------------------------------------------------------------------------
def _filter_dump(req: Any, fields: Iterable[str]) -> dict[str, Any]:
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


CASE_FILTER_FIELDS = ("client_id", "placement_id", "status", "case_ids", "dpd_buckets", "regions",
                      "products", "amount_min", "amount_max", "owner_ids", "owner_team_ids")


async def _default_strategy(conn: asyncpg.Connection, ctx: Ctx, client_ids: set[str]) -> Strategy:
    if len(client_ids) == 1:
        row = await staff.get_client_rules_row(conn, next(iter(client_ids)))
        if row is not None:
            return Strategy(row["default_strategy"])
    return Strategy(ctx.settings.default_strategy)


@bulk_stage
async def preview_allocation(conn: asyncpg.Connection, ctx: Ctx, p: Principal, req: Any) -> dict[str, Any]:
    """R-10 preview: place the filtered cases with the chosen strategy over the chosen
    collectors (a team lead: their own team); nothing changes until commit."""
    lead_team = await restrict_to_lead(conn, p)
    team_ids = req.team_ids
    if lead_team is not None:
        if team_ids and set(team_ids) != {lead_team}:
            raise Forbidden("a team lead allocates to their own team only")
        team_ids = [lead_team]
        if req.owner_team_ids and set(req.owner_team_ids) != {lead_team}:
            raise Forbidden("a team lead reassigns their own team's cases only")
    reassign = req.status == "assigned"
    rows = await pool.select_for_plan(
        conn, statuses=[req.status], client_id=req.client_id, placement_id=req.placement_id,
        case_ids=req.case_ids, dpd_buckets=req.dpd_buckets, regions=req.regions,
        products=req.products, amount_min=req.amount_min, amount_max=req.amount_max,
        owner_ids=req.owner_ids,
        owner_team_ids=req.owner_team_ids or ([lead_team] if reassign and lead_team else None),
        limit=ctx.settings.preview_max_cases + 1)
    if len(rows) > ctx.settings.preview_max_cases:
        raise UnprocessableInput(f"the filter selects more than {ctx.settings.preview_max_cases} "
                                 "cases; narrow it (client, placement, bucket, amount range)")
    strategy = req.strategy or await _default_strategy(conn, ctx, {r["client_id"] for r in rows})
    loads = {c.collector_id: c for c in await staff.collector_loads(
        conn, team_ids=team_ids, collector_ids=req.collector_ids)}
    if reassign:
        loads = released_loads(loads, rows)
    selected = {r["case_id"] for r in rows}
    joint = await joint_owner_map(conn, rows, selected)
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
    filters = _filter_dump(req, CASE_FILTER_FIELDS)
    filters.update(_filter_dump(req, ("team_ids", "collector_ids")))
    if team_ids and not req.team_ids:
        filters["team_ids"] = team_ids
    row = await save_plan(conn, ctx, kind="allocation", strategy=str(strategy), created_by=p.sub,
                          summary=summary, items=items, filters=filters, client_id=req.client_id)
    log.info("allocation previewed", plan_id=str(row["plan_id"]), strategy=str(strategy),
             cases=len(rows), planned=len(items))
    return plan_out(row)


@bulk_stage
async def preview_rotation(conn: asyncpg.Connection, ctx: Ctx, *, month: date, client_id: str | None,
                           strategy: Strategy | None, team_ids: Sequence[str] | None,
                           collector_ids: Sequence[str] | None, created_by: str,
                           lead_team: str | None = None, ttl_minutes: int | None = None) -> dict[str, Any]:
    """R-12: cases with no repayment in `month` and no live PTP today move to a collector other
    than their current and previous owner."""
    strategy = Strategy(strategy or ctx.settings.rotation_strategy)
    as_of = ctx.today()
    rows = await facts.rotation_candidates(conn, month=month, as_of=as_of, client_id=client_id)
    if lead_team is not None:
        if team_ids and set(team_ids) != {lead_team}:
            raise Forbidden("a team lead rotates within their own team only")
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
        conn, team_ids=team_ids, collector_ids=collector_ids)}
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in movable})
    plan = await compute(plan_rotation, [to_case(r) for r in movable], list(loads.values()), rules, strategy)
    by_id = {r["case_id"]: r for r in movable}
    items = [(case_id, cid, loads[cid].team_id, by_id[case_id]["collector_id"], by_id[case_id]["version"])
             for case_id, cid in plan.assignments.items()]
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(stalled) + len(flagged),
                                   amounts={r["case_id"]: r["placed_amount"] for r in movable},
                                   item_ids={i[0] for i in items}, extra_unassigned=extra)
    summary.update(month=month, as_of=as_of, cases_considered=len(rows),
                   cases_with_willingness=len(rows) - len(stalled) - len(flagged))
    filters: dict[str, Any] = {"month": month.isoformat(), "as_of": as_of.isoformat()}
    if client_id:
        filters["client_id"] = client_id
    if team_ids:
        filters["team_ids"] = list(team_ids)
    if collector_ids:
        filters["collector_ids"] = list(collector_ids)
    row = await save_plan(conn, ctx, kind="rotation", strategy=str(strategy), created_by=created_by,
                          summary=summary, items=items, filters=filters, client_id=client_id,
                          month=month, ttl_minutes=ttl_minutes)
    log.info("rotation previewed", plan_id=str(row["plan_id"]), month=month.isoformat(),
             client_id=client_id, stalled=len(stalled), planned=len(items))
    return plan_out(row)


# --- manual (R-10) ----------------------------------------------------------------------------------
async def manual(conn: asyncpg.Connection, ctx: Ctx, p: Principal, req: Any) -> dict[str, Any]:
    """Give one case or a selection to a named collector. Eligibility (R-9) always holds; capacity
    may be overridden with force (recorded on the plan). All-or-nothing unless `partial`."""
    lead_team = await restrict_to_lead(conn, p)
    if not req.preview:
        await plans.lock_allocation(conn)
    target = await staff.get_collector(conn, req.collector_id)
    if target is None:
        raise NotFound(f"no collector {req.collector_id}")
    if lead_team is not None and target["team_id"] != lead_team:
        raise Forbidden("a team lead assigns to collectors of their own team only")
    extra: dict[str, str] = {}
    if req.case_ids is not None:
        rows = await pool.select_for_plan(conn, statuses=None, case_ids=req.case_ids,
                                          limit=len(req.case_ids) + 1)
        found = {r["case_id"] for r in rows}
        extra.update({c: "case_not_found" for c in req.case_ids if c not in found})
    else:
        rows = await pool.select_for_plan(
            conn, statuses=[req.status], client_id=req.client_id, placement_id=req.placement_id,
            dpd_buckets=req.dpd_buckets, regions=req.regions, products=req.products,
            amount_min=req.amount_min, amount_max=req.amount_max, owner_ids=req.owner_ids,
            owner_team_ids=req.owner_team_ids, limit=ctx.settings.preview_max_cases + 1)
        if len(rows) > ctx.settings.preview_max_cases:
            raise UnprocessableInput(f"the filter selects more than {ctx.settings.preview_max_cases} cases")
    usable = []
    for r in rows:
        if r["status"] not in ("unassigned", "assigned"):
            extra[r["case_id"]] = "case_not_allocatable"  # paused, closed, recalled
        elif lead_team is not None and r["team_id"] not in (None, lead_team):
            extra[r["case_id"]] = "other_team"
        else:
            usable.append(r)
    loads = {c.collector_id: c for c in await staff.collector_loads(conn, include_inactive=True)}
    if req.force and req.collector_id in loads:
        loads[req.collector_id] = replace(loads[req.collector_id], max_open_cases=None,
                                          max_open_amount=None)
    selected = {r["case_id"] for r in rows}
    joint = await joint_owner_map(conn, usable, selected)
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in usable})
    plan = await compute(manual_plan, [to_case(r) for r in usable], req.collector_id,
                         list(loads.values()), rules, joint_owners=joint)
    by_id = {r["case_id"]: r for r in usable}
    items = [(case_id, cid, target["team_id"], by_id[case_id]["collector_id"], by_id[case_id]["version"])
             for case_id, cid in plan.assignments.items()]
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(rows) + sum(
        1 for v in extra.values() if v == "case_not_found"),
        amounts={r["case_id"]: r["placed_amount"] for r in usable}, item_ids={i[0] for i in items},
        extra_unassigned=extra, list_all_collectors=False)
    refused = summary["cases_unassigned"]
    if refused and not req.partial and not req.preview:
        raise Conflict(f"{refused} case(s) cannot go to {req.collector_id}; nothing was assigned "
                       "(send partial=true to assign the others)",
                       type="manual-allocation-refused", title="Manual allocation refused",
                       unassigned=summary["unassigned"], unassigned_cases=summary["unassigned_cases"])
    filters = _filter_dump(req, CASE_FILTER_FIELDS if req.case_ids is None else ("case_ids",))
    filters.update(collector_id=req.collector_id)
    if req.note:
        filters["note"] = req.note
    row = await save_plan(conn, ctx, kind="manual", strategy=str(Strategy.MANUAL), created_by=p.sub,
                          summary=summary, items=items, filters=filters, forced=req.force)
    if req.force:
        log.warning("manual allocation with capacity override", plan_id=str(row["plan_id"]),
                    by=p.sub, collector_id=req.collector_id, cases=len(items))
    if req.preview:
        return plan_out(row)
    n = await apply_and_emit(conn, ctx, row, by=p.sub, strict=True)
    return plan_out(await plans.get_plan(conn, row["plan_id"]), committed=n, events=n)
