"""Reading cases, with the object check every route that takes an id needs (OWASP API1): one
case with its history, its owner on a date, the pool, a collector's and a team's cases, a team's
load. Pages are keyset pages by case_id behind an opaque cursor (recoup_shared.paging)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.paging import page
from recoup_shared.vocabulary import Role

from .. import views
from ..context import Ctx
from ..rules.errors import CaseNotFound, CollectorNotFound, NotInScope, TeamNotFound, required_field
from ..settings import READ_ALL
from ..store import pool, staff
from .scope import check_case_visible, check_team_visible, lead_team_of, reading_team, sees_all


async def _case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record:
    row = await pool.get_case(conn, case_id)
    if row is None:
        raise CaseNotFound(f"no case {case_id}")
    return row


async def get_case(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str) -> dict[str, Any]:
    row = await _case(conn, case_id)
    await check_case_visible(conn, p, row)
    return await views.cases.case_detail(conn, row)


async def case_detail(conn: asyncpg.Connection, case_id: str) -> dict[str, Any]:
    """After a change the caller was allowed to make (pause, resume): the case as it is now."""
    return await views.cases.case_detail(conn, await _case(conn, case_id))


async def owner_at(conn: asyncpg.Connection, ctx: Ctx, p: Principal, case_id: str,
                   at: datetime | None) -> dict[str, Any]:
    """Who owned the case at `at` (default now). Whoever owned it then (or leads that team) may
    ask, even after the case moved on; others need to see the case."""
    row = await _case(conn, case_id)
    when = at or ctx.clock.now()
    if when.tzinfo is None:
        raise required_field("at", "naive timestamp", "at needs a timezone offset")
    owner = await views.cases.owner_at(conn, case_id, when)
    if not p.has(*READ_ALL, Role.FINANCE):
        team = await lead_team_of(conn, p) if p.has(Role.TEAM_LEAD) else None
        mine = owner is not None and (owner["collector_id"] == p.sub or
                                      (team is not None and owner["team_id"] == team))
        if not mine:
            await check_case_visible(conn, p, row)
    return views.cases.owner_out(case_id, when, owner)


def _limit(ctx: Ctx, limit: int) -> int:
    return max(1, min(limit, ctx.settings.page_size_max))


async def _page(conn: asyncpg.Connection, ctx: Ctx, limit: int, after: str | None,
                **filters: Any) -> dict[str, Any]:
    n = _limit(ctx, limit)
    rows = await views.cases.list_cases(conn, after=after, limit=n + 1, **filters)
    return page(rows, n, key=lambda r: r["case_id"])


async def list_pool(conn: asyncpg.Connection, ctx: Ctx, p: Principal, *, statuses: Sequence[str] | None,
                    client_id: str | None, after: str | None, limit: int) -> dict[str, Any]:
    """A team lead: the unowned pool their team may work (unassigned cases of clients whose rules
    allow it) and the cases paused from their team."""
    team = None
    if not sees_all(p):
        wanted = set(statuses or [])
        if not wanted or wanted - {"unassigned", "paused"}:
            raise NotInScope("a team lead lists the unowned pool (status unassigned/paused) here; "
                             "their team's cases at /v1/teams/{team_id}/cases")
        team = await reading_team(conn, p)
    return await _page(conn, ctx, limit, after, statuses=statuses, client_id=client_id, lead_team=team)


async def collector_cases(conn: asyncpg.Connection, ctx: Ctx, p: Principal, collector_id: str, *,
                          statuses: Sequence[str] | None, client_id: str | None, after: str | None,
                          limit: int) -> dict[str, Any]:
    """A collector: their own cases; a team lead: their team's collectors'; managers: anyone's."""
    col = await staff.get_collector(conn, collector_id)
    if not (sees_all(p) or p.has(Role.FINANCE) or p.sub == collector_id):
        if not p.has(Role.TEAM_LEAD):
            raise NotInScope("a collector sees their own cases only")
        team = await lead_team_of(conn, p)
        if col is None or col["team_id"] is None or col["team_id"] != team:
            raise NotInScope("a team lead sees their own team's collectors only")
    if col is None:
        raise CollectorNotFound(f"no collector {collector_id}")
    return await _page(conn, ctx, limit, after, collector_id=collector_id,
                       statuses=statuses or ["assigned"], client_id=client_id)


async def _team(conn: asyncpg.Connection, p: Principal, team_id: str) -> None:
    if await staff.get_team(conn, team_id) is None:
        raise TeamNotFound(f"no team {team_id}")
    await check_team_visible(conn, p, team_id)


async def team_cases(conn: asyncpg.Connection, ctx: Ctx, p: Principal, team_id: str, *,
                     statuses: Sequence[str] | None, collector_id: str | None, client_id: str | None,
                     after: str | None, limit: int) -> dict[str, Any]:
    await _team(conn, p, team_id)
    return await _page(conn, ctx, limit, after, team_id=team_id, collector_id=collector_id,
                       statuses=statuses or ["assigned"], client_id=client_id)


async def team_load(conn: asyncpg.Connection, ctx: Ctx, p: Principal, team_id: str) -> dict[str, Any]:
    await _team(conn, p, team_id)
    return await views.cases.team_load(conn, team_id)
