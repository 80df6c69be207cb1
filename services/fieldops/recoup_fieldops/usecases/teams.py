"""Field teams, their areas and their agents (R-34, R-36); who is off duty on a day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg

from recoup_shared.auth import Principal

from ..context import Ctx
from ..rules.errors import AgentNotFound, TeamNotFound
from ..rules.plan_model import Coverage
from ..store import teams
from . import access


@dataclass(frozen=True, slots=True)
class TeamCommand:
    team_id: str
    name: str
    coverage: tuple[Coverage, ...]
    capacity: int | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class AgentCommand:
    agent_id: str
    name: str
    team_id: str | None
    active: bool = True


async def put_team(conn: asyncpg.Connection, ctx: Ctx, who: Principal, cmd: TeamCommand) -> tuple[dict, bool]:
    await access.check_team_admin(conn, who, cmd.team_id)
    created = await teams.upsert_team(conn, cmd.team_id, cmd.name, cmd.capacity, cmd.active,
                                      cmd.coverage, ctx.clock.now())
    return await team_detail(conn, cmd.team_id), created


async def team_detail(conn: asyncpg.Connection, team_id: str) -> dict:
    found = await teams.team_detail(conn, team_id)
    if found is None:
        raise TeamNotFound(f"field team {team_id} is unknown")
    return found


async def put_agent(conn: asyncpg.Connection, ctx: Ctx, who: Principal, cmd: AgentCommand) -> tuple[dict, bool]:
    existing = await teams.agent(conn, cmd.agent_id)
    await access.check_team_admin(conn, who, cmd.team_id)
    if existing is not None and existing["team_id"] != cmd.team_id:
        await access.check_team_admin(conn, who, existing["team_id"])   # moving out of a team too
    if cmd.team_id is not None and await teams.team(conn, cmd.team_id) is None:
        raise TeamNotFound(f"field team {cmd.team_id} is unknown",
                           errors=[{"field": "team_id", "reason": "no such field team"}])
    created = await teams.upsert_agent(conn, cmd.agent_id, cmd.name, cmd.team_id, cmd.active,
                                       ctx.clock.now())
    return dict(await teams.agent(conn, cmd.agent_id)), created


async def set_off_duty(conn: asyncpg.Connection, ctx: Ctx, who: Principal, agent_id: str, day: date,
                       off: bool, reason: str | None) -> dict:
    agent = await teams.agent(conn, agent_id)
    if agent is None:
        raise AgentNotFound(f"field agent {agent_id} is unknown")
    await access.check_team_admin(conn, who, agent["team_id"])
    await teams.set_off_duty(conn, agent_id, day, off, reason)
    return {"agent_id": agent_id, "day": day, "off_duty": off, "reason": reason if off else None}


def coverage_of(items: Sequence[tuple[str, str | None, str | None]]) -> tuple[Coverage, ...]:
    return tuple(Coverage(p, c or None, d or None) for p, c, d in items)
