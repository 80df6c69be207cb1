"""Field teams, the areas they cover, their agents, and who is off duty on a day (R-34, R-36)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Path, Query, Response

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor, Limit, decode_cursor, page

from .. import schemas
from ..rules.errors import AgentNotFound, NotAllowed, TeamNotFound
from ..store import teams as store
from ..usecases import teams
from .deps import Conn, Context, PlanReader, TeamAdmin

router = APIRouter(tags=["field teams"])
TeamId = Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$")
AgentId = Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]*$")


def _str_cursor(cursor: str | None) -> str | None:
    after = decode_cursor(cursor)
    return after if isinstance(after, str) or after is None else str(after)


@router.put("/v1/field-teams/{team_id}", response_model=schemas.TeamOut,
            responses={201: {"model": schemas.TeamOut}, **problem_responses(NotAllowed)},
            summary="Create or replace a field team and the areas it covers")
async def put_team(body: schemas.TeamIn, response: Response, conn: Conn, ctx: Context, who: TeamAdmin,
                   team_id: str = TeamId) -> dict:
    cmd = teams.TeamCommand(team_id, body.name, teams.coverage_of(
        [(c.province, c.city, c.district) for c in body.coverage]), body.capacity, body.active)
    out, created = await teams.put_team(conn, ctx, who, cmd)
    response.status_code = 201 if created else 200
    return out


@router.get("/v1/field-teams", response_model=schemas.TeamPage)
async def list_teams(conn: Conn, who: PlanReader, cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = await store.list_teams(conn, after=_str_cursor(cursor), limit=limit + 1)
    return page(rows, limit, key=lambda r: r["team_id"])


@router.get("/v1/field-teams/{team_id}", response_model=schemas.TeamOut,
            responses=problem_responses(TeamNotFound))
async def get_team(conn: Conn, who: PlanReader, team_id: str = TeamId) -> dict:
    return await teams.team_detail(conn, team_id)


@router.put("/v1/field-agents/{agent_id}", response_model=schemas.AgentOut,
            responses={201: {"model": schemas.AgentOut}, **problem_responses(NotAllowed, TeamNotFound)},
            summary="Create or update a field agent (the agent's token subject)")
async def put_agent(body: schemas.AgentIn, response: Response, conn: Conn, ctx: Context,
                    who: TeamAdmin, agent_id: str = AgentId) -> dict:
    out, created = await teams.put_agent(conn, ctx, who, teams.AgentCommand(
        agent_id, body.name, body.team_id, body.active))
    response.status_code = 201 if created else 200
    return out


@router.get("/v1/field-agents", response_model=schemas.AgentPage)
async def list_agents(conn: Conn, who: PlanReader, team_id: str | None = Query(None, max_length=64),
                      cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = await store.list_agents(conn, team_id=team_id, after=_str_cursor(cursor), limit=limit + 1)
    return page(rows, limit, key=lambda r: r["agent_id"])


@router.put("/v1/field-agents/{agent_id}/off-duty/{day}", response_model=schemas.OffDutyOut,
            responses=problem_responses(AgentNotFound, NotAllowed),
            summary="The agent is off duty that day (leave, training): not planned")
async def off_duty(day: date, body: schemas.OffDutyIn, conn: Conn, ctx: Context, who: TeamAdmin,
                   agent_id: str = AgentId) -> dict:
    return await teams.set_off_duty(conn, ctx, who, agent_id, day, True, body.reason)


@router.delete("/v1/field-agents/{agent_id}/off-duty/{day}", response_model=schemas.OffDutyOut,
               responses=problem_responses(AgentNotFound, NotAllowed))
async def on_duty(day: date, conn: Conn, ctx: Context, who: TeamAdmin, agent_id: str = AgentId) -> dict:
    return await teams.set_off_duty(conn, ctx, who, agent_id, day, False, None)
