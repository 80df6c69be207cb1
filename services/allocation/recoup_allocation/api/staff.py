"""Teams, collectors and client rules (R-9, R-45): supervisors and admins manage everything; a
team lead manages the collectors of their own team."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from recoup_shared.auth import Principal, Role
from recoup_shared.api import Conn
from recoup_shared.errors import (
    Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses,
)

from ..planning import lead_team_of
from ..schemas import (
    ClientRulesIn, ClientRulesOut, CollectorIn, CollectorOut, CollectorPatch, TeamIn, TeamOut, TeamPatch,
)
from ..store import staff
from .deps import Manager, Reader, StaffPeople, sees_all

router = APIRouter(prefix="/v1", tags=["people and rules"])

_AUTH = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)


# --- teams --------------------------------------------------------------------------------------
@router.post("/teams", status_code=201, response_model=TeamOut, summary="Create a team",
             responses={**_AUTH, **problem_responses(Conflict)})
async def create_team(p: Manager, conn: Conn, body: TeamIn) -> Any:
    row = await staff.insert_team(conn, body.team_id, body.name, body.lead_id, body.active)
    if row is None:
        raise Conflict(f"team {body.team_id} already exists", type="team-exists", title="Team exists")
    return dict(row)


@router.get("/teams", response_model=list[TeamOut], summary="List teams", responses=_AUTH)
async def list_teams(p: Reader, conn: Conn) -> Any:
    return [dict(r) for r in await staff.list_teams(conn)]


@router.get("/teams/{team_id}", response_model=TeamOut, summary="One team", responses=_AUTH)
async def get_team(team_id: str, p: Reader, conn: Conn) -> Any:
    row = await staff.get_team(conn, team_id)
    if row is None:
        raise NotFound(f"no team {team_id}")
    return dict(row)


@router.patch("/teams/{team_id}", response_model=TeamOut, summary="Change a team", responses=_AUTH)
async def patch_team(team_id: str, p: Manager, conn: Conn, body: TeamPatch) -> Any:
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    if "name" in changes and changes["name"] is None:
        raise UnprocessableInput("name cannot be null", errors=[{"field": "name", "reason": "required"}])
    if "active" in changes and changes["active"] is None:
        raise UnprocessableInput("active cannot be null", errors=[{"field": "active", "reason": "required"}])
    row = await staff.update_row(conn, "teams", "team_id", team_id, changes, staff.TEAM_COLUMNS)
    if row is None:
        raise NotFound(f"no team {team_id}")
    if "active" in changes:
        await staff.wake_auto_allocation(conn)
    return dict(row)


# --- collectors ---------------------------------------------------------------------------------
async def _lead_scope(conn: Conn, p: Principal) -> str | None:
    """None: may manage every team. Else the team a team lead manages."""
    if p.has(Role.SUPERVISOR, Role.ADMIN):
        return None
    team = await lead_team_of(conn, p)
    if team is None:
        raise Forbidden("a team lead without a team cannot manage collectors")
    return team


@router.post("/collectors", status_code=201, response_model=CollectorOut,
             summary="Register a collector (id = the sub of their tokens)",
             responses={**_AUTH, **problem_responses(Conflict)})
async def create_collector(p: StaffPeople, conn: Conn, body: CollectorIn) -> Any:
    if not p.has(Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN):
        raise Forbidden("requires one of the roles: admin, supervisor, team_lead")
    scope = await _lead_scope(conn, p)
    if scope is not None:
        if body.team_id != scope:
            raise Forbidden("a team lead adds collectors to their own team only")
        if body.role != "collector":
            raise Forbidden("only a supervisor or admin appoints team leads")
    if body.team_id is not None and await staff.missing_teams(conn, [body.team_id]):
        raise UnprocessableInput(f"no team {body.team_id}", errors=[{"field": "team_id", "reason": "unknown team"}])
    values = body.model_dump()
    row = await staff.insert_collector(conn, values)
    if row is None:
        raise Conflict(f"collector {body.collector_id} already exists", type="collector-exists",
                       title="Collector exists")
    await staff.wake_auto_allocation(conn)
    return dict(row)


@router.get("/collectors", response_model=list[CollectorOut], summary="List collectors",
            responses=_AUTH)
async def list_collectors(p: Reader, conn: Conn, team_id: str | None = None,
                          active: bool | None = None) -> Any:
    if not sees_all(p):
        own = await lead_team_of(conn, p)
        if team_id is not None and team_id != own:
            raise Forbidden("a team lead sees their own team only")
        if own is None:
            raise Forbidden("a team lead without a team sees no collectors")
        team_id = own
    return [dict(r) for r in await staff.list_collectors(conn, team_id=team_id, active=active)]


@router.get("/collectors/{collector_id}", response_model=CollectorOut, summary="One collector",
            responses=_AUTH)
async def get_collector(collector_id: str, p: StaffPeople, conn: Conn) -> Any:
    row = await staff.get_collector(conn, collector_id)
    if row is None:
        raise NotFound(f"no collector {collector_id}")
    if not (sees_all(p) or p.sub == collector_id
            or (p.has(Role.TEAM_LEAD) and row["team_id"] is not None
                and row["team_id"] == await lead_team_of(conn, p))):
        raise Forbidden("not your collector")
    return dict(row)


@router.patch("/collectors/{collector_id}", response_model=CollectorOut,
              summary="Change a collector (skills, capacity, team, active)", responses=_AUTH)
async def patch_collector(collector_id: str, p: StaffPeople, conn: Conn, body: CollectorPatch) -> Any:
    if not p.has(Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN):
        raise Forbidden("requires one of the roles: admin, supervisor, team_lead")
    row = await staff.get_collector(conn, collector_id)
    if row is None:
        raise NotFound(f"no collector {collector_id}")
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    for required in ("name", "role", "active"):
        if required in changes and changes[required] is None:
            raise UnprocessableInput(f"{required} cannot be null",
                                     errors=[{"field": required, "reason": "required"}])
    scope = await _lead_scope(conn, p)
    if scope is not None:
        if row["team_id"] != scope:
            raise Forbidden("a team lead manages their own team's collectors only")
        if "team_id" in changes and changes["team_id"] != scope:
            raise Forbidden("only a supervisor or admin moves collectors between teams")
        if changes.get("role") == "team_lead" and row["role"] != "team_lead":
            raise Forbidden("only a supervisor or admin appoints team leads")
    if changes.get("team_id") is not None and await staff.missing_teams(conn, [changes["team_id"]]):
        raise UnprocessableInput(f"no team {changes['team_id']}",
                                 errors=[{"field": "team_id", "reason": "unknown team"}])
    row = await staff.update_row(conn, "collectors", "collector_id", collector_id, changes,
                                 staff.COLLECTOR_COLUMNS)
    await staff.wake_auto_allocation(conn)
    return dict(row)


# --- client rules (R-9) -------------------------------------------------------------------------
@router.put("/client-rules/{client_id}", response_model=ClientRulesOut,
            summary="Set a client's requirements and default strategy (R-9, R-8)",
            responses={**_AUTH, 201: {"description": "created"}})
async def put_client_rules(client_id: str, p: Manager, conn: Conn, body: ClientRulesIn,
                           response: Response) -> Any:
    teams = set(body.dedicated_team_ids) | set(body.team_products) | set(body.team_dpd_buckets)
    missing = await staff.missing_teams(conn, teams)
    if missing:
        raise UnprocessableInput(f"unknown team(s): {', '.join(missing)}",
                                 errors=[{"field": "dedicated_team_ids", "reason": f"unknown team {t}"}
                                         for t in missing])
    values = body.model_dump()
    values["default_strategy"] = str(body.default_strategy)
    row, created = await staff.put_client_rules(conn, client_id, values, p.sub)
    await staff.wake_auto_allocation(conn)
    if created:
        response.status_code = 201
    return _rules_out(row)


@router.get("/client-rules", response_model=list[ClientRulesOut], summary="Every client's rules",
            responses=_AUTH)
async def list_client_rules(p: Reader, conn: Conn) -> Any:
    return [_rules_out(r) for r in await staff.list_client_rules(conn)]


@router.get("/client-rules/{client_id}", response_model=ClientRulesOut, summary="A client's rules",
            responses=_AUTH)
async def get_client_rules(client_id: str, p: Reader, conn: Conn) -> Any:
    row = await staff.get_client_rules_row(conn, client_id)
    if row is None:
        raise NotFound(f"no rules for client {client_id} (the service defaults apply)")
    return _rules_out(row)


def _rules_out(row: Any) -> dict[str, Any]:
    out = dict(row)
    out.pop("created", None)
    return out
