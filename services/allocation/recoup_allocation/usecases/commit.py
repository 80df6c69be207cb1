"""R-10 commit: the optimistic, atomic write of a plan and its case.allocated events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from datetime import datetime
from functools import partial
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus import EnvelopeTemplate, OutboxRecord
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.gcpause import gc_paused
from recoup_shared.logging import get_logger

from .. import events
from ..context import Ctx
from ..rules.errors import (
    CapacityChanged, NotInScope, PlanExpired, PlanNotFound, PlanNotPreviewed, PlanStale,
)
from ..store import plans
from ..views.plans import plan_out
from .common import CASES_ALLOCATED, FIXED_REASON, SLA_SECONDS, first_contact_due
from .scope import check_plan_visible, restrict_to_lead

log = get_logger(__name__)

OFF_LOOP_EVENTS = 2000  # bigger commits serialise their events in a worker thread, GC paused


async def apply_and_emit(conn: asyncpg.Connection, ctx: Ctx, plan: Mapping[str, Any], *, by: str,
                         strict: bool, fixed_reason: str | None = None,
                         recheck_capacity: bool = False) -> int:
    """Write the plan: owners, ownership intervals, one case.allocated per moved case (outbox, same
    transaction). strict: any case changed since the preview → 409 and nothing is written.
    recheck_capacity (with strict): 409 capacity-changed when a receiving collector is now full,
    inactive or gone — checked before plan-stale, as if before any write.

    The capacity check reads the receiving collectors' books after the move (one index scan per
    collector) rather than joining every plan item to its case beforehand: when every case moved,
    the book after the move is exactly the "open now − taken away + given" the check is about;
    when some did not (the plan is stale anyway), the move is rolled back to its savepoint and
    the check runs on the state before it. The events are serialised in a worker thread
    while the database writes the new ownership intervals: both only depend on the moved cases,
    which the first statement returns."""
    with gc_paused(plan["items"] > OFF_LOOP_EVENTS):
        return await _apply_and_emit(conn, ctx, plan, by=by, strict=strict, fixed_reason=fixed_reason,
                                     recheck_capacity=recheck_capacity)


async def _move(conn: asyncpg.Connection, plan: Mapping[str, Any], *, reason: str | None,
                now: datetime, due: Any, strict: bool, recheck_capacity: bool) -> list[asyncpg.Record]:
    plan_id = plan["plan_id"]
    try:
        # a savepoint only when a capacity refusal must leave the state as it was before the move
        async with conn.transaction() if recheck_capacity else nullcontext():
            moved = await plans.apply_plan(conn, plan_id, fixed_reason=reason, now=now,
                                           first_contact_due=due)
            if strict and len(moved) != plan["items"]:
                raise _Stale(await plans.unmoved_items(conn, plan_id), len(moved))
            if recheck_capacity:
                _refuse_over_capacity(await plans.capacity_after_move(conn))
    except _Stale as stale:
        if recheck_capacity:  # the move is rolled back: the check sees the state before it
            _refuse_over_capacity(await plans.capacity_violations(conn, plan_id))
        raise PlanStale(
            f"{plan['items'] - stale.moved} of {plan['items']} cases changed since the preview; "
            "nothing was committed — preview again",
            changed_cases=[{"case_id": r["case_id"], "status": r["status"] if not r["missing"] else "missing",
                            "collector_id": r["collector_id"], "previewed_owner": r["previewed_owner"]}
                           for r in stale.cases]) from None
    return moved


async def _apply_and_emit(conn: asyncpg.Connection, ctx: Ctx, plan: Mapping[str, Any], *, by: str,
                          strict: bool, fixed_reason: str | None, recheck_capacity: bool) -> int:
    now = ctx.clock.now()
    due = first_contact_due(ctx, now)
    plan_id = plan["plan_id"]
    moved = await _move(conn, plan, reason=fixed_reason or FIXED_REASON[plan["kind"]], now=now,
                        due=due, strict=strict, recheck_capacity=recheck_capacity)
    if moved:
        template = events.case_allocated(plan_id=str(plan_id), strategy=plan["strategy"], at=now, due=due)
        work = partial(_events_and_sla, moved, template, now)
        if len(moved) > OFF_LOOP_EVENTS:
            build = asyncio.ensure_future(asyncio.to_thread(work))
            try:
                await plans.open_intervals(conn, plan_id, strategy=plan["strategy"], now=now)
            finally:  # the connection is idle again before anything propagates
                records = await build
        else:  # (a thread hop costs more than a manual assignment's events)
            records = work()
            await plans.open_intervals(conn, plan_id, strategy=plan["strategy"], now=now)
        await write_outbox_records(conn, records)
    await plans.mark_committed(conn, plan_id, by=by, at=now, committed=len(moved))
    await plans.supersede_overlapping(conn, plan_id)
    CASES_ALLOCATED.labels(plan["kind"]).inc(len(moved))
    return len(moved)


class _Stale(Exception):
    def __init__(self, cases: Sequence[Mapping[str, Any]], moved: int) -> None:
        self.cases, self.moved = cases, moved


def _events_and_sla(moved: Sequence[Any], template: EnvelopeTemplate, now: datetime) -> list[OutboxRecord]:
    """The moved cases' case.allocated records, and the R-8 SLA clock of each first allocation
    (observed here, with the rest of the commit's writes still under way: a commit that fails
    after this point is a database failure, and the request's own COMMIT could always fail after
    the observation anyway). moved rows: case_id, client_id, collector_id, team_id,
    previous_collector_id, reason, received_at, first_allocation."""
    records = template.records([(r[1], r[0], r[2], r[5], r[3], r[4]) for r in moved])
    children: dict[str, Any] = {}
    for r in moved:
        if r[7]:
            child = children.get(r[1]) or children.setdefault(r[1], SLA_SECONDS.labels(r[1]))
            child.observe((now - r[6]).total_seconds())
    return records


def _refuse_over_capacity(bad: Sequence[Mapping[str, Any]]) -> None:
    if bad:
        raise CapacityChanged("receiving collectors changed since the preview (capacity or status); "
                              "nothing was committed — preview again",
                              collectors=[{"collector_id": r["collector_id"], "known": r["known"],
                                           "active": r["active"], "cases_after": r["cases_after"],
                                           "max_open_cases": r["max_open_cases"],
                                           "amount_after": str(r["amount_after"]),
                                           "max_open_amount": None if r["max_open_amount"] is None
                                           else str(r["max_open_amount"])} for r in bad])


async def commit(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID) -> dict[str, Any]:
    """R-10: commit a previewed plan, atomically; 409 if it is not previewed any more, expired,
    stale (a case changed), or a receiving collector is now full or inactive."""
    lead_team = await restrict_to_lead(conn, p)
    await plans.lock_allocation(conn)
    plan = await plans.get_plan(conn, plan_id, for_update=True)
    if plan is None:
        raise PlanNotFound(f"no plan {plan_id}")
    if lead_team is not None:
        await check_plan_visible(conn, p, plan)
        if plan["created_by"] != p.sub and not plan["created_by"].startswith("system:"):
            raise NotInScope("a team lead commits their own plans (or the system's rotation previews)")
        if not await plans.plan_collectors_in_teams(conn, plan_id, lead_team):
            raise NotInScope("the plan gives cases to collectors outside your team")
    if plan["status"] != "previewed":
        raise PlanNotPreviewed(f"plan is {plan['status']}, only a previewed plan can be committed",
                               plan_status=plan["status"])
    if plan["expires_at"] < ctx.clock.now():
        raise PlanExpired(f"plan expired at {plan['expires_at'].isoformat()}; preview again")
    fixed = plan["filters"].get("fixed_reason") if plan["filters"] else None
    n = await apply_and_emit(conn, ctx, plan, by=p.sub, strict=True, fixed_reason=fixed,
                             recheck_capacity=not plan["forced"])
    log.info("plan committed", plan_id=str(plan_id), kind=plan["kind"], cases=n, by=p.sub)
    return plan_out(await plans.get_plan(conn, plan_id), ctx.clock.now(), committed=n, events=n)
