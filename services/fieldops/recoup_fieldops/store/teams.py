"""Field teams, their coverage, their agents and who is off duty (R-34, R-36)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import asyncpg

from ..rules.plan_model import Agent, Area, Coverage, Team


async def upsert_team(conn: asyncpg.Connection, team_id: str, name: str, capacity: int | None,
                      active: bool, coverage: Sequence[Coverage], now: datetime) -> bool:
    """Creates or replaces a team and its coverage; True when it was created."""
    created = await conn.fetchval(
        """INSERT INTO field_teams (team_id, name, capacity, active, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (team_id) DO UPDATE SET name = EXCLUDED.name, capacity = EXCLUDED.capacity,
               active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
           RETURNING (xmax = 0)""", team_id, name, capacity, active, now)
    await conn.execute("DELETE FROM team_coverage WHERE team_id = $1", team_id)
    if coverage:
        await conn.executemany(
            "INSERT INTO team_coverage (team_id, province, city, district) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING",
            [(team_id, c.province, c.city or "", c.district or "") for c in coverage])
    return bool(created)


async def upsert_agent(conn: asyncpg.Connection, agent_id: str, name: str, team_id: str | None,
                       active: bool, now: datetime) -> bool:
    created = await conn.fetchval(
        """INSERT INTO field_agents (agent_id, name, team_id, active, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (agent_id) DO UPDATE SET name = EXCLUDED.name, team_id = EXCLUDED.team_id,
               active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
           RETURNING (xmax = 0)""", agent_id, name, team_id, active, now)
    return bool(created)


async def set_off_duty(conn: asyncpg.Connection, agent_id: str, day: date, off: bool,
                       reason: str | None) -> None:
    if off:
        await conn.execute(
            """INSERT INTO agent_off_duty (agent_id, day, reason) VALUES ($1, $2, $3)
               ON CONFLICT (agent_id, day) DO UPDATE SET reason = EXCLUDED.reason""", agent_id, day, reason)
    else:
        await conn.execute("DELETE FROM agent_off_duty WHERE agent_id = $1 AND day = $2", agent_id, day)


async def team(conn: asyncpg.Connection, team_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM field_teams WHERE team_id = $1", team_id)


async def agent(conn: asyncpg.Connection, agent_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM field_agents WHERE agent_id = $1", agent_id)


async def is_field_team(conn: asyncpg.Connection, team_id: str | None) -> bool:
    if not team_id:
        return False
    return bool(await conn.fetchval("SELECT active FROM field_teams WHERE team_id = $1", team_id))


async def coverage(conn: asyncpg.Connection, *, active_only: bool = True) -> dict[str, list[Coverage]]:
    rows = await conn.fetch(
        """SELECT c.team_id, c.province, c.city, c.district FROM team_coverage c
           JOIN field_teams t USING (team_id) WHERE NOT $1 OR t.active
           ORDER BY c.team_id, c.province, c.city, c.district""", active_only)
    out: dict[str, list[Coverage]] = defaultdict(list)
    for r in rows:
        out[r["team_id"]].append(Coverage(r["province"], r["city"] or None, r["district"] or None))
    return dict(out)


async def area_covered(conn: asyncpg.Connection, area: Area) -> bool:
    """Whether an active field team covers the area (R-35 "local" unless configured)."""
    return bool(await conn.fetchval(
        """SELECT 1 FROM team_coverage c JOIN field_teams t USING (team_id)
           WHERE t.active AND c.province = $1 AND (c.city = '' OR c.city = $2)
             AND (c.district = '' OR (c.city = $2 AND c.district = $3)) LIMIT 1""",
        area.province, area.city, area.district))


async def teams_for_day(conn: asyncpg.Connection, day: date) -> list[Team]:
    """Active teams with their active agents (available unless off duty that day) and coverage."""
    teams = await conn.fetch("SELECT * FROM field_teams WHERE active ORDER BY team_id")
    agents = await conn.fetch(
        """SELECT a.agent_id, a.team_id, o.agent_id IS NULL AS available FROM field_agents a
           LEFT JOIN agent_off_duty o ON o.agent_id = a.agent_id AND o.day = $1
           WHERE a.active AND a.team_id IS NOT NULL ORDER BY a.team_id, a.agent_id""", day)
    by_team: dict[str, list[Agent]] = defaultdict(list)
    for a in agents:
        by_team[a["team_id"]].append(Agent(a["agent_id"], a["available"]))
    cover = await coverage(conn)
    return [Team(t["team_id"], tuple(by_team.get(t["team_id"], ())), tuple(cover.get(t["team_id"], ())),
                 t["capacity"]) for t in teams if cover.get(t["team_id"])]


async def list_teams(conn: asyncpg.Connection, *, after: str | None, limit: int,
                     team_id: str | None = None) -> list[dict]:
    rows = await conn.fetch(
        """SELECT t.team_id, t.name, t.capacity, t.active,
                  (SELECT count(*) FROM field_agents a WHERE a.team_id = t.team_id AND a.active) AS agents
           FROM field_teams t
           WHERE ($1::text IS NULL OR t.team_id > $1) AND ($3::text IS NULL OR t.team_id = $3)
           ORDER BY t.team_id LIMIT $2""", after, limit, team_id)
    cover = await coverage(conn, active_only=False)
    return [{**dict(r), "coverage": [{"province": c.province, "city": c.city, "district": c.district}
                                     for c in cover.get(r["team_id"], [])]} for r in rows]


async def team_detail(conn: asyncpg.Connection, team_id: str) -> dict | None:
    found = await list_teams(conn, after=None, limit=1, team_id=team_id)
    return found[0] if found else None


async def list_agents(conn: asyncpg.Connection, *, team_id: str | None, after: str | None,
                      limit: int) -> list[dict]:
    rows = await conn.fetch(
        """SELECT agent_id, name, team_id, active FROM field_agents
           WHERE ($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR agent_id > $2)
           ORDER BY agent_id LIMIT $3""", team_id, after, limit)
    return [dict(r) for r in rows]
