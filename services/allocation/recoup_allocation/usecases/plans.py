"""Reading plans: one plan, its items (keyset pages), recent plans, the rotation register."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.paging import page
from recoup_shared.vocabulary import Role

from .. import views
from ..context import Ctx
from ..rules.errors import NotInScope, PlanNotFound
from ..store import plans
from .scope import sees_all


async def _plan(conn: asyncpg.Connection, plan_id: uuid.UUID) -> asyncpg.Record:
    row = await plans.get_plan(conn, plan_id)
    if row is None:
        raise PlanNotFound(f"no plan {plan_id}")
    return row


async def get_plan(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID) -> dict[str, Any]:
    return views.plans.plan_out(await _plan(conn, plan_id), ctx.clock.now())


async def plan_items(conn: asyncpg.Connection, ctx: Ctx, p: Principal, plan_id: uuid.UUID, *,
                     after: str | None, limit: int) -> dict[str, Any]:
    await _plan(conn, plan_id)
    n = max(1, min(limit, ctx.settings.page_size_max))
    rows = await views.plans.plan_items(conn, plan_id, after, n + 1)
    return page(rows, n, key=lambda r: r["case_id"])


async def list_plans(conn: asyncpg.Connection, ctx: Ctx, p: Principal, *, status: str | None,
                     kind: str | None, mine: bool, limit: int) -> list[dict[str, Any]]:
    return await views.plans.list_plans(conn, status=status, kind=kind,
                                        created_by=p.sub if mine else None,
                                        limit=max(1, min(limit, ctx.settings.page_size_max)))


async def rotation_runs(conn: asyncpg.Connection, ctx: Ctx, p: Principal) -> list[dict[str, Any]]:
    if not sees_all(p) and not p.has(Role.TEAM_LEAD):
        raise NotInScope("not allowed")
    return await views.plans.rotation_runs(conn)
