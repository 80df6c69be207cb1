"""Teams, collectors and client rules (R-9, R-45)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from recoup_shared.errors import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from ..schemas import (
    ClientRulesIn, ClientRulesOut, CollectorIn, CollectorOut, CollectorPatch, TeamIn, TeamOut, TeamPatch,
)
from ..usecases import staff
from .deps import Allocator, Conn, Context, Manager, Reader, StaffPeople

router = APIRouter(prefix="/v1", tags=["people and rules"])

_AUTH = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)
_AUTH409 = {**_AUTH, **problem_responses(Conflict)}


def _changes(body: Any) -> dict[str, Any]:
    """Only the fields sent are changed (null clears a skill list or a cap)."""
    return {k: getattr(body, k) for k in body.model_fields_set}


# --- teams --------------------------------------------------------------------------------------
@router.post("/teams", status_code=201, response_model=TeamOut, summary="Create a team", responses=_AUTH409)
async def create_team(p: Manager, conn: Conn, ctx: Context, body: TeamIn) -> Any:
    return await staff.create_team(conn, ctx, p, body.model_dump())


@router.get("/teams", response_model=list[TeamOut], summary="List teams", responses=_AUTH)
async def list_teams(p: Reader, conn: Conn, ctx: Context) -> Any:
    return await staff.list_teams(conn, ctx, p)


@router.get("/teams/{team_id}", response_model=TeamOut, summary="One team", responses=_AUTH)
async def get_team(team_id: str, p: Reader, conn: Conn, ctx: Context) -> Any:
    return await staff.get_team(conn, ctx, p, team_id)


@router.patch("/teams/{team_id}", response_model=TeamOut, summary="Change a team", responses=_AUTH)
async def patch_team(team_id: str, p: Manager, conn: Conn, ctx: Context, body: TeamPatch) -> Any:
    return await staff.patch_team(conn, ctx, p, team_id, _changes(body))


# --- collectors ---------------------------------------------------------------------------------
@router.post("/collectors", status_code=201, response_model=CollectorOut,
             summary="Register a collector (id = the sub of their tokens)", responses=_AUTH409)
async def create_collector(p: Allocator, conn: Conn, ctx: Context, body: CollectorIn) -> Any:
    return await staff.create_collector(conn, ctx, p, body.model_dump())


@router.get("/collectors", response_model=list[CollectorOut], summary="List collectors",
            responses=_AUTH)
async def list_collectors(p: Reader, conn: Conn, ctx: Context, team_id: str | None = None,
                          active: bool | None = None) -> Any:
    return await staff.list_collectors(conn, ctx, p, team_id=team_id, active=active)


@router.get("/collectors/{collector_id}", response_model=CollectorOut, summary="One collector",
            responses=_AUTH)
async def get_collector(collector_id: str, p: StaffPeople, conn: Conn, ctx: Context) -> Any:
    return await staff.get_collector(conn, ctx, p, collector_id)


@router.patch("/collectors/{collector_id}", response_model=CollectorOut,
              summary="Change a collector (skills, capacity, team, active)", responses=_AUTH)
async def patch_collector(collector_id: str, p: Allocator, conn: Conn, ctx: Context,
                          body: CollectorPatch) -> Any:
    return await staff.patch_collector(conn, ctx, p, collector_id, _changes(body))


# --- client rules (R-9) -------------------------------------------------------------------------
@router.put("/client-rules/{client_id}", response_model=ClientRulesOut,
            summary="Set a client's requirements and default strategy (R-9, R-8)",
            responses={**_AUTH, 201: {"description": "created"}})
async def put_client_rules(client_id: str, p: Manager, conn: Conn, ctx: Context, body: ClientRulesIn,
                           response: Response) -> Any:
    rules, created = await staff.put_client_rules(conn, ctx, p, client_id, body.model_dump())
    if created:
        response.status_code = 201
    return rules


@router.get("/client-rules", response_model=list[ClientRulesOut], summary="Every client's rules",
            responses=_AUTH)
async def list_client_rules(p: Reader, conn: Conn, ctx: Context) -> Any:
    return await staff.list_client_rules(conn, ctx, p)


@router.get("/client-rules/{client_id}", response_model=ClientRulesOut, summary="A client's rules",
            responses=_AUTH)
async def get_client_rules(client_id: str, p: Reader, conn: Conn, ctx: Context) -> Any:
    return await staff.get_client_rules(conn, ctx, p, client_id)
