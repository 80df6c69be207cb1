"""What the planning use cases share: loading rows into the pure rules' types, plan summaries and
persistence, running big plans off the event loop, the system principals, metrics."""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

import asyncpg
from prometheus_client import Counter as PromCounter, Histogram

from recoup_shared.auth import Principal
from recoup_shared.gcpause import gc_paused
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..rules import AllocCase, CollectorLoad, Plan, first_contact_due as rule_first_contact_due
from ..store import facts, plans, staff

P = ParamSpec("P")
T = TypeVar("T")

SYSTEM_AUTO = "system:auto-allocation"
SYSTEM_ROTATION = "system:rotation"
SYSTEM_ROTATION_PRINCIPAL = Principal(sub=SYSTEM_ROTATION, roles=frozenset({Role.ADMIN.value}))
LIST_CAP = 1000  # unassigned/notes listed in a plan summary (counts are always complete)

SLA_SECONDS = Histogram(
    "recoup_allocation_sla_seconds",
    "Time from case.received to the case's first allocation (R-8: 1 working day at most)",
    ["client_id"],
    buckets=(60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400,
             3 * 86400, 7 * 86400))
CASES_ALLOCATED = PromCounter("recoup_allocation_cases_allocated_total",
                              "Cases given an owner, by plan kind", ["kind"])

# The ownership reason a plan kind always gives (None: "allocation", or "reassignment" for a case
# that had an owner).
FIXED_REASON = {"rotation": "rotation", "manual": "manual", "allocation": None, "auto": None}

OFF_LOOP_CASES = 5000  # plans bigger than this are computed in a worker thread


def bulk_stage(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """A use case that handles 10^5 cases as a matter of course (previews, automatic runs) runs
    with the collector paused."""
    @functools.wraps(fn)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with gc_paused():
            return await fn(*args, **kwargs)
    return run


async def compute(fn: Callable[..., Plan], cases: list[AllocCase], *args: Any, **kwargs: Any) -> Plan:
    """Run a pure planning function; a big plan runs off the event loop so requests, the
    consumer's heartbeats and the relay keep going meanwhile."""
    if len(cases) > OFF_LOOP_CASES:
        return await asyncio.to_thread(fn, cases, *args, **kwargs)
    return fn(cases, *args, **kwargs)


def first_contact_due(ctx: Ctx, at: datetime) -> date:
    # 2-3 working days after the allocation day (holidays and 调休 included)
    return rule_first_contact_due(at.astimezone(ctx.clock.zone).date(), ctx.calendar,
                                  ctx.settings.first_contact_working_days)


# --- loading --------------------------------------------------------------------------------------
def to_case(r: Mapping[str, Any], *, owned: bool = True) -> AllocCase:
    return AllocCase(case_id=r["case_id"], client_id=r["client_id"], product=r["product"],
                     placed_amount=r["placed_amount"], dpd_bucket=r["dpd_bucket"], region=r["region"],
                     joint_key=r["joint_key"], previous_collector_id=r["previous_collector_id"],
                     current_collector_id=r["collector_id"] if owned else None)


async def joint_owner_map(conn: asyncpg.Connection, cases: Iterable[Mapping[str, Any]],
                          selected: set[str]) -> dict[str, str]:
    """R-11: the collector already holding (the earliest-allocated of) a debtor's other cases."""
    keys = sorted({r["joint_key"] for r in cases if r["joint_key"]})
    owners: dict[str, str] = {}
    for r in await facts.assigned_with_joint_keys(conn, keys):
        if r["case_id"] not in selected:
            owners.setdefault(r["joint_key"], r["collector_id"])
    return owners


def released_loads(loads: dict[str, CollectorLoad], rows: Sequence[Mapping[str, Any]]) -> dict[str, CollectorLoad]:
    """Reassignment: the selected cases leave their owners' books before being planned again."""
    n: Counter[str] = Counter()
    amount: dict[str, Decimal] = {}
    for r in rows:
        if r["collector_id"]:
            n[r["collector_id"]] += 1
            amount[r["collector_id"]] = amount.get(r["collector_id"], Decimal(0)) + r["placed_amount"]
    out = dict(loads)
    for cid, k in n.items():
        if cid in out:
            c = out[cid]
            out[cid] = replace(c, open_cases=max(c.open_cases - k, 0),
                               open_amount=max(c.open_amount - amount[cid], Decimal(0)))
    return out


# --- summaries ------------------------------------------------------------------------------------
def _balance(b: Any) -> dict[str, Any]:
    return {"collectors": b.collectors, "mean_cases": b.mean_cases, "mean_amount": b.mean_amount,
            "max_dev_cases": b.max_dev_cases, "max_dev_cases_pct": b.max_dev_cases_pct,
            "max_dev_amount": b.max_dev_amount, "max_dev_amount_pct": b.max_dev_amount_pct}


async def summarize_plan(conn: asyncpg.Connection, plan: Plan, *, loads: Mapping[str, CollectorLoad],
                         amounts: Mapping[str, Decimal], selected: int, item_ids: set[str],
                         extra_unassigned: Mapping[str, str], extra_kept: int = 0,
                         list_all_collectors: bool = True) -> dict[str, Any]:
    unassigned = {cid: str(reason) for cid, reason in plan.unassigned.items()}
    unassigned.update(extra_unassigned)
    reasons = Counter(unassigned.values())
    listed = [b for b in plan.balance.values()
              if list_all_collectors or b.new_cases or b.released_cases]
    names = await staff.collector_names(conn, [b.collector_id for b in listed])
    collectors = [{
        "collector_id": b.collector_id, "name": names.get(b.collector_id), "team_id": b.team_id,
        "open_cases_before": loads[b.collector_id].open_cases if b.collector_id in loads else 0,
        "open_amount_before": loads[b.collector_id].open_amount if b.collector_id in loads else Decimal(0),
        "new_cases": b.new_cases, "new_amount": b.new_amount,
        "released_cases": b.released_cases, "released_amount": b.released_amount,
        "open_cases_after": b.open_cases_after, "open_amount_after": b.open_amount_after,
    } for b in sorted(listed, key=lambda b: b.collector_id)]
    unassigned_list = sorted(unassigned.items())
    notes = sorted((cid, str(n)) for cid, n in plan.notes.items())
    return {
        "cases_selected": selected,
        "cases_planned": len(item_ids),
        "cases_kept": len(plan.kept) + extra_kept,
        "cases_unassigned": len(unassigned),
        "amount_planned": sum((amounts[c] for c in item_ids), Decimal("0.00")),
        "unassigned": dict(sorted(reasons.items())),
        "unassigned_cases": [{"case_id": c, "reason": r} for c, r in unassigned_list[:LIST_CAP]],
        "unassigned_truncated": len(unassigned_list) > LIST_CAP,
        "notes": [{"case_id": c, "reason": n} for c, n in notes[:LIST_CAP]],
        "collectors": collectors,
        "balance": _balance(plan.summary),
        "balance_after": _balance(plan.summary_after),
    }


async def save_plan(conn: asyncpg.Connection, ctx: Ctx, *, kind: str, strategy: str,
                    created_by: str, summary: dict[str, Any], items: Sequence[plans.Item],
                    filters: dict[str, Any], client_id: str | None = None,
                    month: date | None = None, forced: bool = False,
                    ttl_minutes: int | None = None) -> asyncpg.Record:
    plan_id = uuid.uuid4()
    now = ctx.clock.now()
    expires = now + timedelta(minutes=ttl_minutes or ctx.settings.plan_ttl_minutes)
    await plans.insert_plan(conn, plan_id=plan_id, kind=kind, strategy=strategy, client_id=client_id,
                            month=month, filters=filters, forced=forced, created_by=created_by,
                            created_at=now, expires_at=expires, summary=summary, items=items,
                            team_id=plan_team(summary, items))
    return await plans.get_plan(conn, plan_id)


def plan_team(summary: Mapping[str, Any], items: Sequence[plans.Item]) -> str | None:
    """The one team every collector a plan shows (and every receiver) belongs to, else None: a
    team lead reaches their team's plans (usecases/scope.py)."""
    teams = {c["team_id"] for c in summary["collectors"]} | {item[2] for item in items}
    return next(iter(teams)) if len(teams) == 1 else None
