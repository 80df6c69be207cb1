"""R-8 automatic allocation of new cases: one run in the caller's transaction (the job opens it),
under the allocation lock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

import asyncpg

from ..context import Ctx
from ..rules import CollectorLoad, Plan, Strategy, plan_allocation
from ..store import plans, pool, staff
from .commit import apply_and_emit
from .common import SYSTEM_AUTO, bulk_stage, compute, joint_owner_map, save_plan, summarize_plan, to_case


@dataclass
class AutoResult:
    busy: bool = False          # another writer (a commit, another replica's run) holds the lock
    considered: int = 0
    allocated: int = 0
    unplaced: int = 0
    plan_ids: list[str] = field(default_factory=list)


@bulk_stage
async def auto_allocate(conn: asyncpg.Connection, ctx: Ctx) -> AutoResult:
    """Plan the waiting cases of auto-allocated clients with each client's default strategy,
    commit, emit. Clients sharing a strategy are planned together (one debtor's cases across
    clients stay together, R-11); later groups see the loads and joint-debt owners the earlier
    ones produced. Cases nobody could take wait out a back-off."""
    s = ctx.settings
    if not await plans.lock_allocation(conn, wait=False):
        return AutoResult(busy=True)
    now = ctx.clock.now()
    rows = await pool.auto_candidates(conn, unconfigured=s.auto_allocate_unconfigured_clients,
                                      default_strategy=str(s.default_strategy), now=now,
                                      limit=s.auto_allocate_max_cases)
    if not rows:
        return AutoResult()
    loads = {c.collector_id: c for c in await staff.collector_loads(conn)}
    rules = await staff.client_rules_for(conn, {r["client_id"] for r in rows})
    joint = await joint_owner_map(conn, rows, set())
    by_strategy: dict[str, list[asyncpg.Record]] = {}
    for r in rows:
        by_strategy.setdefault(r["strategy"], []).append(r)
    result = AutoResult(considered=len(rows))
    unplaced: list[str] = []
    for strategy, group in sorted(by_strategy.items()):
        plan = await compute(plan_allocation, [to_case(r) for r in group], list(loads.values()),
                             rules, Strategy(strategy), joint_owners=dict(joint))
        unplaced += list(plan.unassigned)
        if not plan.assignments:
            continue
        result.allocated += await _commit_group(conn, ctx, strategy, group, plan, loads, result)
        _account(plan, {r["case_id"]: r for r in group}, loads, joint)
    if unplaced:
        await plans.set_auto_retry(conn, unplaced, now + timedelta(seconds=s.auto_allocate_retry_seconds))
    result.unplaced = len(unplaced)
    return result


async def _commit_group(conn: asyncpg.Connection, ctx: Ctx, strategy: str, group: list[asyncpg.Record],
                        plan: Plan, loads: dict[str, CollectorLoad], result: AutoResult) -> int:
    by_id = {r["case_id"]: r for r in group}
    items = [(cid, col, loads[col].team_id, None, by_id[cid]["version"])
             for cid, col in plan.assignments.items()]
    summary = await summarize_plan(conn, plan, loads=loads, selected=len(group),
                                   amounts={r["case_id"]: r["placed_amount"] for r in group},
                                   item_ids={i[0] for i in items}, extra_unassigned={},
                                   list_all_collectors=False)
    row = await save_plan(conn, ctx, kind="auto", strategy=strategy, created_by=SYSTEM_AUTO,
                          summary=summary, items=items, filters={"auto": True})
    result.plan_ids.append(str(row["plan_id"]))
    return await apply_and_emit(conn, ctx, row, by=SYSTEM_AUTO, strict=False)


def _account(plan: Plan, by_id: dict[str, asyncpg.Record], loads: dict[str, CollectorLoad],
             joint: dict[str, str]) -> None:
    """The next strategy group sees this one's effect on loads and joint-debt owners."""
    gained: Counter[str] = Counter(plan.assignments.values())
    amount: dict[str, Decimal] = {}
    for cid, col in plan.assignments.items():
        amount[col] = amount.get(col, Decimal(0)) + by_id[cid]["placed_amount"]
        if by_id[cid]["joint_key"]:
            joint.setdefault(by_id[cid]["joint_key"], col)
    for col, k in gained.items():
        c = loads[col]
        loads[col] = replace(c, open_cases=c.open_cases + k, open_amount=c.open_amount + amount[col])
