"""Teams, collectors and client rules (R-9, R-45): supervisors and admins manage everything; a
team lead manages the collectors of their own team; a collector sees their own record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import UnprocessableInput
from recoup_shared.vocabulary import Role

from .. import views
from ..context import Ctx
from ..rules.errors import (
    ClientRulesNotFound, CollectorExists, CollectorNotFound, NotInScope, TeamExists, TeamNotFound,
    required_field,
)
from ..store import staff
from .scope import check_team_visible, lead_team_of, managed_team, reading_team, sees_all


def _not_null(changes: Mapping[str, Any], *fields: str) -> None:
    for f in fields:
        if f in changes and changes[f] is None:
            raise required_field(f, "required", f"{f} cannot be null")


async def _known_team(conn: asyncpg.Connection, team_id: str | None) -> None:
    if team_id is not None and await staff.missing_teams(conn, [team_id]):
        raise required_field("team_id", "unknown team", f"no team {team_id}")


# --- teams --------------------------------------------------------------------------------------
async def create_team(conn: asyncpg.Connection, ctx: Ctx, p: Principal, team: Mapping[str, Any]) -> dict[str, Any]:
    row = await staff.insert_team(conn, team["team_id"], team["name"], team["lead_id"], team["active"])
    if row is None:
        raise TeamExists(f"team {team['team_id']} already exists")
    return dict(row)


async def list_teams(conn: asyncpg.Connection, ctx: Ctx, p: Principal) -> list[dict[str, Any]]:
    """A team lead: their own team."""
    team = await reading_team(conn, p)
    return await views.staff.list_teams(conn, None if team is None else [team])


async def get_team(conn: asyncpg.Connection, ctx: Ctx, p: Principal, team_id: str) -> dict[str, Any]:
    row = await staff.get_team(conn, team_id)
    if row is None:
        raise TeamNotFound(f"no team {team_id}")
    await check_team_visible(conn, p, team_id)
    return dict(row)


async def patch_team(conn: asyncpg.Connection, ctx: Ctx, p: Principal, team_id: str,
                     changes: Mapping[str, Any]) -> dict[str, Any]:
    _not_null(changes, "name", "active")
    row = await staff.update_row(conn, "teams", "team_id", team_id, dict(changes), staff.TEAM_COLUMNS)
    if row is None:
        raise TeamNotFound(f"no team {team_id}")
    if "active" in changes:
        await staff.wake_auto_allocation(conn)
    return dict(row)


# --- collectors ---------------------------------------------------------------------------------
async def create_collector(conn: asyncpg.Connection, ctx: Ctx, p: Principal,
                           collector: Mapping[str, Any]) -> dict[str, Any]:
    scope = await managed_team(conn, p)
    if scope is not None:
        if collector["team_id"] != scope:
            raise NotInScope("a team lead adds collectors to their own team only")
        if collector["role"] != "collector":
            raise NotInScope("only a supervisor or admin appoints team leads")
    await _known_team(conn, collector["team_id"])
    row = await staff.insert_collector(conn, dict(collector))
    if row is None:
        raise CollectorExists(f"collector {collector['collector_id']} already exists")
    await staff.wake_auto_allocation(conn)
    return dict(row)


async def list_collectors(conn: asyncpg.Connection, ctx: Ctx, p: Principal, *, team_id: str | None,
                          active: bool | None) -> list[dict[str, Any]]:
    if not sees_all(p):
        own = await lead_team_of(conn, p)
        if team_id is not None and team_id != own:
            raise NotInScope("a team lead sees their own team only")
        if own is None:
            raise NotInScope("a team lead without a team sees no collectors")
        team_id = own
    return await views.staff.list_collectors(conn, team_id=team_id, active=active)


async def get_collector(conn: asyncpg.Connection, ctx: Ctx, p: Principal, collector_id: str) -> dict[str, Any]:
    row = await staff.get_collector(conn, collector_id)
    if row is None:
        raise CollectorNotFound(f"no collector {collector_id}")
    if not (sees_all(p) or p.sub == collector_id
            or (p.has(Role.TEAM_LEAD) and row["team_id"] is not None
                and row["team_id"] == await lead_team_of(conn, p))):
        raise NotInScope("not your collector")
    return dict(row)


async def patch_collector(conn: asyncpg.Connection, ctx: Ctx, p: Principal, collector_id: str,
                          changes: Mapping[str, Any]) -> dict[str, Any]:
    row = await staff.get_collector(conn, collector_id)
    if row is None:
        raise CollectorNotFound(f"no collector {collector_id}")
    _not_null(changes, "name", "role", "active")
    scope = await managed_team(conn, p)
    if scope is not None:
        if row["team_id"] != scope:
            raise NotInScope("a team lead manages their own team's collectors only")
        if "team_id" in changes and changes["team_id"] != scope:
            raise NotInScope("only a supervisor or admin moves collectors between teams")
        if changes.get("role") == "team_lead" and row["role"] != "team_lead":
            raise NotInScope("only a supervisor or admin appoints team leads")
    await _known_team(conn, changes.get("team_id"))
    row = await staff.update_row(conn, "collectors", "collector_id", collector_id, dict(changes),
                                 staff.COLLECTOR_COLUMNS)
    await staff.wake_auto_allocation(conn)
    return dict(row)


# --- client rules (R-9) -------------------------------------------------------------------------
async def put_client_rules(conn: asyncpg.Connection, ctx: Ctx, p: Principal, client_id: str,
                           rules: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Returns (rules, created)."""
    teams = set(rules["dedicated_team_ids"]) | set(rules["team_products"]) | set(rules["team_dpd_buckets"])
    missing = await staff.missing_teams(conn, teams)
    if missing:
        raise UnprocessableInput(f"unknown team(s): {', '.join(missing)}",
                                 errors=[{"field": "dedicated_team_ids", "reason": f"unknown team {t}"}
                                         for t in missing])
    values = dict(rules)
    values["default_strategy"] = str(rules["default_strategy"])
    row, created = await staff.put_client_rules(conn, client_id, values, p.sub)
    await staff.wake_auto_allocation(conn)
    return views.staff.rules_out(row), created


async def list_client_rules(conn: asyncpg.Connection, ctx: Ctx, p: Principal) -> list[dict[str, Any]]:
    return await views.staff.list_client_rules(conn)


async def get_client_rules(conn: asyncpg.Connection, ctx: Ctx, p: Principal, client_id: str) -> dict[str, Any]:
    row = await staff.get_client_rules_row(conn, client_id)
    if row is None:
        raise ClientRulesNotFound(f"no rules for client {client_id} (the service defaults apply)")
    return views.staff.rules_out(row)
