"""The case page in one call (seeds 4.4.7 / 4.4.8): summary, contact points with their state and
last outcome and whether each may be called now (the gate's side-effect-free evaluation), the
timeline, the open promise, joint cases, holds, the open dispute and complaints, payments waiting
for the bank, recent calls; plus the paged timeline and records, and the reminders' "seen"."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..rules.errors import CaseNotFound, NotFoundHere
from ..settings import ALL_CASES, REPORTERS
from ..store import cases as case_store
from ..store import casepage as page_store
from ..store import points as point_store
from ..store import records as record_store
from . import gate
from .common import can_act, check_read, get_case_for
from .points import point_out
from .worklist import row_out

SUMMARY = ("case_id", "client_id", "placement_id", "placement_ref", "product", "account_masked", "debtor_name",
           "id_masked", "gender", "currency", "placed_amount", "outstanding", "repaid_total", "dpd", "dpd_bucket",
           "placed_on", "recall_on", "region", "zone", "employer", "remarks", "paused", "withdrawn",
           "owner_id", "team_id", "allocated_at", "first_contact_due", "follow_up_earliest", "follow_up_latest",
           "follow_up_avoid", "cadence_rule", "last_effective_on", "last_follow_up_on")


def _decision(d: Any) -> dict[str, Any]:
    return {"allowed": d.allowed, "next_allowed": d.next_allowed, "reasons": [r.to_dict() for r in d.reasons],
            "notices": [n.to_dict() for n in d.notices]}


async def case_page(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    case = await page_store.page(conn, case_id, ctx.clock.today(), ctx.settings.timeline_limit)
    if case is None:
        raise CaseNotFound(f"case {case_id} is unknown here")
    check_read(principal, case)
    now = ctx.clock.now()
    points = point_store.with_case(case)
    callable_now = await gate.evaluate_points(conn, ctx, case, points, now)
    joint = case["joint"]
    row = await row_out(conn, ctx, case, {case["id_hash"]: [j["case_id"] for j in joint]} if case["id_hash"] else {},
                        {}, now)
    return {
        **row, **{k: case[k] for k in SUMMARY}, "case_status": case["status"],
        "may_act": can_act(principal, case),
        "contact_points": [{**point_out(p), "callable": _decision(callable_now[p["point_id"]])
                            if p["point_id"] in callable_now else None} for p in points],
        "promises": case["promises"], "joint_cases": joint, "holds": case["holds"], "dispute": case["dispute"],
        "complaints": case["complaints"], "claimed_payments": case["claims"], "calls": case["calls"],
        "timeline": case["timeline"],
    }


def _entry(t: Any) -> dict[str, Any]:
    return {"id": t["id"], "at": t["at"], "kind": t["kind"], "actor": t["actor"], "ref": t["ref"], "data": t["data"]}


async def timeline(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                   before: tuple[datetime, int] | None, limit: int) -> list[dict[str, Any]]:
    await get_case_for(conn, principal, case_id)
    return [_entry(t) for t in await record_store.timeline(conn, case_id, before=before, limit=limit)]


async def records(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                  before: tuple[datetime, str] | None, limit: int) -> list[dict[str, Any]]:
    await get_case_for(conn, principal, case_id)
    return [dict(r) for r in await record_store.of_case(conn, case_id, before=before, limit=limit)]


async def seen(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    """The owner opened the case: its reminders are acknowledged (R-24)."""
    case = await get_case_for(conn, principal, case_id)
    now = ctx.clock.now()
    if case["owner_id"] == principal.sub:
        await case_store.update(conn, case_id, {"seen_at": now}, now)
    return {"case_id": case_id, "seen_at": now if case["owner_id"] == principal.sub else case["seen_at"]}


async def record(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, record_id: UUID) -> dict[str, Any]:
    row = await record_store.get(conn, record_id)
    if row is None:
        raise NotFoundHere("no such contact record")
    await get_case_for(conn, principal, row["case_id"])
    return dict(row)


async def search_records(conn: asyncpg.Connection, principal: Principal, *, client_id: str | None,
                         collector_id: str | None, team_id: str | None, day_from: Any, day_to: Any,
                         after: tuple[datetime, UUID] | None, limit: int) -> list[dict[str, Any]]:
    """催记管理: a collector reads their own records, a team lead the team's, managers anyone's."""
    if not principal.has(*ALL_CASES, *REPORTERS):
        collector_id = principal.sub
    elif principal.has(Role.TEAM_LEAD) and not principal.has(*ALL_CASES):
        team_id = principal.team_id or ""
    rows = await record_store.search(conn, client_id=client_id, collector_id=collector_id, team_id=team_id,
                                     day_from=day_from, day_to=day_to, after=after, limit=limit)
    return [dict(r) for r in rows]
