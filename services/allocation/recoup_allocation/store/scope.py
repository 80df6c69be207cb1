"""The reach of a team lead in SQL (OWASP API1): which cases, clients and plans are theirs.

A team lead reaches
- an assigned case when its current owner is in their team;
- an unassigned case (the pool) when the client's rules allow their team (no dedicated teams,
  or their team among them, R-9);
- a paused, closed or recalled case when its last owner was in their team — or, if nobody ever
  owned it, when the client's rules allow their team (as for the pool).
Supervisors, admins and auditors reach everything; those checks are in usecases/scope.py."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg


def client_allows(team: str, client: str = "c.client_id") -> str:
    """SQL: the client's rules let team `team` (a parameter, e.g. "$3::text") work its cases."""
    return f"""NOT EXISTS (SELECT 1 FROM client_rules r WHERE r.client_id = {client}
                 AND r.dedicated_team_ids <> '{{}}' AND NOT ({team} = ANY (r.dedicated_team_ids)))"""


def lead_reaches(team: str) -> str:
    """SQL (cases aliased `c`): true when the team lead of `team` reaches the case."""
    allows = client_allows(team)
    return f"""COALESCE(CASE c.status
        WHEN 'assigned' THEN c.team_id = {team}
        WHEN 'unassigned' THEN {allows}
        ELSE COALESCE((SELECT o.team_id IS NOT DISTINCT FROM {team} FROM ownership o
                       WHERE o.case_id = c.case_id ORDER BY o.valid_from DESC, o.id DESC LIMIT 1),
                      {allows}) END, false)"""


async def cases_reached(conn: asyncpg.Connection, case_ids: Sequence[str], team: str) -> set[str]:
    """Of these cases, the ones the team lead of `team` reaches."""
    if not case_ids:
        return set()
    rows = await conn.fetch(
        f"SELECT c.case_id FROM cases c WHERE c.case_id = ANY($1) AND {lead_reaches('$2::text')}",
        list(case_ids), team)
    return {r["case_id"] for r in rows}


async def client_reached(conn: asyncpg.Connection, client_id: str, team: str) -> bool:
    return bool(await conn.fetchval(f"SELECT {client_allows('$2::text', '$1::text')}", client_id, team))
