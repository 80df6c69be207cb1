"""Who reaches what (R-45; OWASP API1, object-level checks): supervisors, admins and auditors
every team; finance every case (repayment attribution); a team lead their own team's collectors
and cases and the unowned pool; a collector their own record and the cases they own.

A team lead's team is the token's `team_id` claim, else their own collectors row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.vocabulary import Role

from ..rules.errors import NotInScope
from ..settings import MANAGE, READ_ALL
from ..store import staff


def is_manager(p: Principal) -> bool:
    """Supervisors and admins act on every team; a team lead on their own team only."""
    return p.has(*MANAGE)


def sees_all(p: Principal) -> bool:
    return p.has(*READ_ALL)


async def lead_team_of(conn: asyncpg.Connection, p: Principal) -> str | None:
    """The team a team lead leads: the token's team_id claim, else their collectors row."""
    return p.team_id or await staff.team_of(conn, p.sub)


async def restrict_to_lead(conn: asyncpg.Connection, p: Principal) -> str | None:
    """None for supervisors/admins; the team id for a team lead (403 if they have none)."""
    if is_manager(p):
        return None
    team = await lead_team_of(conn, p)
    if team is None:
        raise NotInScope("a team lead without a team cannot allocate: set team_id")
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
    """Managers/auditors/finance see every case; a team lead their team's cases and the unowned
    pool; a collector only the cases they own now."""
    if p.has(*READ_ALL, Role.FINANCE):
        return
    if p.has(Role.TEAM_LEAD):
        team = await lead_team_of(conn, p)
        if case["team_id"] is None or (team is not None and case["team_id"] == team):
            return
    if p.has(Role.COLLECTOR) and case["collector_id"] == p.sub:
        return
    raise NotInScope("this case is not yours to see")


async def check_team_visible(conn: asyncpg.Connection, p: Principal, team_id: str) -> None:
    if sees_all(p):
        return
    if p.has(Role.TEAM_LEAD) and await lead_team_of(conn, p) == team_id:
        return
    raise NotInScope("a team lead sees their own team only")


def check_lead_may_touch(case: Mapping[str, Any], lead_team: str | None) -> None:
    """Pause/resume: a team lead acts on their team's cases and the unowned pool."""
    if lead_team is not None and case["team_id"] not in (None, lead_team):
        raise NotInScope("the case belongs to another team")
