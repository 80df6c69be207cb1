"""Who reaches what (R-45; OWASP API1, object-level checks on every route).

- supervisors, admins and auditors: every team, case and plan (auditors read only: the role
  dependencies keep them off writing routes); finance: every case (repayment attribution);
- a team lead: their own team's collectors, cases and plans — plans they created, or whose every
  collector is in their team — and the unowned pool where the client's rules allow their team
  (store/scope.py says which cases exactly);
- a collector: their own record and the cases they own now (and a case's owner at a moment
  when that owner was them).

Answers: 404 when the object does not exist, 403 (`forbidden`) when it exists but lies outside
the caller's scope — ids here are random UUIDs (cases, plans) or the agency's own staff ids, so
confirming existence tells staff nothing; what never leaks is content. Filters are applied
within the caller's scope: what lies outside is not selected, never listed as refused.

A team lead's team is the token's `team_id` claim, else their own collectors row; a team lead
without a team reaches no team's data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.vocabulary import Role

from ..rules.errors import NotInScope
from ..settings import MANAGE, READ_ALL
from ..store import scope, staff


def is_manager(p: Principal) -> bool:
    """Supervisors and admins act on every team; a team lead on their own team only."""
    return p.has(*MANAGE)


def sees_all(p: Principal) -> bool:
    return p.has(*READ_ALL)


async def lead_team_of(conn: asyncpg.Connection, p: Principal) -> str | None:
    """The team a team lead leads: the token's team_id claim, else their collectors row."""
    return p.team_id or await staff.team_of(conn, p.sub)


async def restrict_to_lead(conn: asyncpg.Connection, p: Principal) -> str | None:
    """Writing: None for supervisors/admins; the team id for a team lead (403 if they have none)."""
    if is_manager(p):
        return None
    team = await lead_team_of(conn, p)
    if team is None:
        raise NotInScope("a team lead without a team cannot allocate: set team_id")
    return team


async def reading_team(conn: asyncpg.Connection, p: Principal) -> str | None:
    """Reading: None for those who see every team; the team id for a team lead (403 without)."""
    if sees_all(p):
        return None
    team = await lead_team_of(conn, p) if p.has(Role.TEAM_LEAD) else None
    if team is None:
        raise NotInScope("a team lead without a team sees no team's data")
    return team


async def managed_team(conn: asyncpg.Connection, p: Principal) -> str | None:
    """None: may manage every team's collectors. Else the team a team lead manages."""
    if is_manager(p):
        return None
    team = await lead_team_of(conn, p)
    if team is None:
        raise NotInScope("a team lead without a team cannot manage collectors")
    return team


async def check_case_visible(conn: asyncpg.Connection, p: Principal, case: Mapping[str, Any]) -> None:
    """Managers, auditors, finance: every case; a team lead: what their team reaches; a
    collector: the cases they own now."""
    if p.has(*READ_ALL, Role.FINANCE):
        return
    if p.has(Role.TEAM_LEAD):
        team = await lead_team_of(conn, p)
        if team is not None and await scope.cases_reached(conn, [case["case_id"]], team):
            return
    if p.has(Role.COLLECTOR) and case["collector_id"] == p.sub:
        return
    raise NotInScope("this case is not yours to see")


async def check_lead_reaches(conn: asyncpg.Connection, case: Mapping[str, Any], lead_team: str | None) -> None:
    """Pause/resume: a team lead acts on what their team reaches (their cases, the pool)."""
    if lead_team is not None and not await scope.cases_reached(conn, [case["case_id"]], lead_team):
        raise NotInScope("the case belongs to another team")


async def check_team_visible(conn: asyncpg.Connection, p: Principal, team_id: str) -> None:
    if sees_all(p):
        return
    if p.has(Role.TEAM_LEAD) and await lead_team_of(conn, p) == team_id:
        return
    raise NotInScope("a team lead sees their own team only")


async def check_collectors_in_team(conn: asyncpg.Connection, collector_ids: Iterable[str] | None,
                                   lead_team: str | None) -> None:
    """A team lead names collectors of their own team only."""
    if lead_team is None or not collector_ids:
        return
    if await staff.collectors_outside(conn, collector_ids, lead_team):
        raise NotInScope("a team lead allocates to their own team's collectors only")


def plan_visible_to(p: Principal, plan: Mapping[str, Any], team: str | None) -> bool:
    """`team`: the caller's reading team (None: every team)."""
    return team is None or plan["created_by"] == p.sub or plan["team_id"] == team


async def check_plan_visible(conn: asyncpg.Connection, p: Principal, plan: Mapping[str, Any]) -> None:
    if not plan_visible_to(p, plan, await reading_team(conn, p)):
        raise NotInScope("this plan is another team's")


async def check_client_visible(conn: asyncpg.Connection, client_id: str, team: str | None) -> None:
    """A team lead reads the figures of clients whose rules allow their team (R-9)."""
    if team is not None and not await scope.client_reached(conn, client_id, team):
        raise NotInScope("this client's cases are another team's")
