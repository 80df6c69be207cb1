"""Reading plans: one plan, its items (keyset pages), recent plans, the rotation register."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.paging import page

from .. import views
from ..context import Ctx
from ..rules.errors import PlanNotFound
from ..store import plans
from .scope import check_plan_visible, reading_team


async def _plan(conn: asyncpg.Connection, plan_id: uuid.UUID) -> asyncpg.Record:
    row = await plans.get_plan(conn, plan_id)
    if row is None:
        raise PlanNotFound(f"no plan {plan_id}")
    return row


async def get_plan(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID) -> dict[str, Any]:
    plan = await _plan(conn, plan_id)
    await check_plan_visible(conn, p, plan)
    return views.plans.plan_out(plan, ctx.clock.now())


async def plan_items(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID, *,
                     after: str | None, limit: int) -> dict[str, Any]:
    await check_plan_visible(conn, p, await _plan(conn, plan_id))
    n = max(1, min(limit, ctx.settings.page_size_max))
    rows = await views.plans.plan_items(conn, plan_id, after, n + 1)
    return page(rows, n, key=lambda r: r["case_id"])


async def list_plans(conn: asyncpg.Connection, ctx: Ctx, p: Principal, *, status: str | None,
                     kind: str | None, mine: bool, limit: int) -> list[dict[str, Any]]:
    """A team lead: the plans they created and their team's (scope.plan_visible_to)."""
    team = await reading_team(conn, p)
    return await views.plans.list_plans(conn, status=status, kind=kind,
                                        created_by=p.sub if mine else None,
                                        reader=None if team is None else (p.sub, team),
                                        limit=max(1, min(limit, ctx.settings.page_size_max)))


async def rotation_runs(conn: asyncpg.Connection, ctx: Ctx, p: Principal) -> list[dict[str, Any]]:
    """A team lead: the runs whose plan is their team's."""
    return await views.plans.rotation_runs(conn, team=await reading_team(conn, p))
