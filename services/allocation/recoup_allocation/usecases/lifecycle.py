"""R-13 lifecycle by staff: pause releases the owner; resume prefers the previous owner. Both
are announced (case.paused / case.resumed) so a paused case leaves every worklist downstream."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.logging import get_logger

from .. import events
from ..context import Ctx
from ..rules import Strategy, manual_plan
from ..rules.errors import CaseAlreadyPaused, CaseNotFound, CaseNotOpen, CaseNotPaused, ClientFlagActive
from ..store import plans, pool, staff
from .commands import Pause, Resume
from .commit import apply_and_emit
from .common import save_plan, summarize_plan, to_case
from .scope import check_lead_reaches, restrict_to_lead

log = get_logger(__name__)


async def pause(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str, cmd: Pause) -> None:
    lead_team = await restrict_to_lead(conn, p)
    case = await pool.lock_case(conn, case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id}")
    await check_lead_reaches(conn, case, lead_team)
    if case["status"] == "paused":
        raise CaseAlreadyPaused("the case is already paused")
    if case["status"] in ("closed", "recalled"):
        raise CaseNotOpen(f"the case is {case['status']}")
    await pause_cases(conn, [PauseItem(case_id, p.sub, cmd.reason, ctx.clock.now())])
    log.info("case paused", case_id=case_id, by=p.sub)


@dataclass(frozen=True, slots=True)
class PauseItem:
    case_id: str
    by: str
    reason: str
    at: datetime


async def pause_cases(conn: asyncpg.Connection, items: Sequence[PauseItem]) -> list[pool.Released]:
    """R-13: pause the open ones of these cases (owners released) and announce case.paused — one
    statement and one outbox write for the set. A staff pause, or one contact asked for (R-47)."""
    first: dict[str, PauseItem] = {}
    for item in items:
        first.setdefault(item.case_id, item)
    released = await pool.release(conn, list(first), [i.at for i in first.values()], "paused", end_reason="paused",
                                  from_statuses=("unassigned", "assigned"),
                                  pauses=[("staff", i.reason, i.by) for i in first.values()])
    await write_outbox_records(conn, [events.case_paused(
        client_id=r.client_id, case_id=r.case_id, source="staff", by=first[r.case_id].by,
        reason=first[r.case_id].reason, at=r.at, released_collector_id=r.collector_id,
        released_team_id=r.team_id) for r in released])
    return released


async def resume(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str, cmd: Resume) -> str | None:
    """Returns the collector the case went back to, if any."""
    lead_team = await restrict_to_lead(conn, p)
    if cmd.return_to_previous_owner:
        # Lock order of every allocation writer: the allocation lock first, then case rows.
        await plans.lock_allocation(conn)
    case = await pool.lock_case(conn, case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id}")
    await check_lead_reaches(conn, case, lead_team)
    if case["status"] != "paused":
        raise CaseNotPaused(f"the case is {case['status']}, not paused")
    blocking = sorted(set(case["flags"]) & set(ctx.settings.pause_on_flags))
    if blocking:
        raise ClientFlagActive(f"client flag {', '.join(blocking)} is set: the case resumes only on "
                               "the client's instruction (R-17)")
    now = ctx.clock.now()
    await pool.resume_paused(conn, [case_id])
    log.info("case resumed", case_id=case_id, by=p.sub, reason=cmd.reason)
    prev = case["previous_collector_id"]
    back = (await _plan_back_to(conn, ctx, p, case_id, prev, cmd.reason)
            if cmd.return_to_previous_owner and prev else None)
    # case.resumed first, then (when the previous owner takes it back) its case.allocated
    await write_outbox_records(conn, [events.case_resumed(
        client_id=case["client_id"], case_id=case_id, source="staff", by=p.sub, reason=cmd.reason,
        at=now, collector_id=prev if back else None, team_id=back[1] if back else None)])
    if back is None:
        await pool.wake(conn)
        return None
    await apply_and_emit(conn, ctx, back[0], by=p.sub, strict=True, fixed_reason="reassignment")
    return prev


async def _plan_back_to(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str, prev: str,
                        reason: str) -> tuple[Any, str | None] | None:
    """A one-case plan giving the case back to its previous owner when they are active, eligible
    and have room: (the saved plan, the owner's team), or None."""
    current = await pool.lock_case(conn, case_id)
    loads = {c.collector_id: c for c in await staff.collector_loads(conn, include_inactive=True)}
    if prev not in loads or not loads[prev].active:
        return None
    rules = await staff.client_rules_for(conn, [current["client_id"]])
    plan = manual_plan([to_case(current)], prev, loads.values(), rules)
    if not plan.assignments:
        return None
    items = [(case_id, prev, loads[prev].team_id, None, current["version"])]
    summary = await summarize_plan(
        conn, plan, loads=loads, selected=1, amounts={case_id: current["placed_amount"]},
        item_ids={case_id}, extra_unassigned={}, list_all_collectors=False)
    row = await save_plan(conn, ctx, kind="manual", strategy=str(Strategy.MANUAL), created_by=p.sub,
                          summary=summary, items=items,
                          filters={"case_ids": [case_id], "resume": True, "note": reason,
                                   "fixed_reason": "reassignment"})
    return row, loads[prev].team_id
