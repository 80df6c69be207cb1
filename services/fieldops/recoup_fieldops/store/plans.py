"""Daily plans: what the planner is given (approved visits with their case), what it decided
(visits planned into team days, the not-planned list with reasons), and each run. Set-based: a
day of 5,000 visits is a handful of statements."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
import orjson


async def approved_visits(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Every approved visit with what planning needs of its case (locked against a concurrent
    request changing them while the day is planned)."""
    return await conn.fetch(
        """SELECT v.visit_id, v.case_id, v.client_id, v.due_on, v.address_kind, v.province, v.city,
                  v.district, v.requested_by, v.approved_at, v.escalate_at, c.placement_id, c.flags,
                  c.paused, c.status, c.collector_id
           FROM visits v JOIN cases c USING (case_id)
           WHERE v.state = 'approved' ORDER BY v.visit_id FOR UPDATE OF v""")


async def apply(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]], now: datetime) -> int:
    """(visit_id, day, team_id, agent_ids, band, slot_start, slot_end, seq): approved → planned."""
    if not rows:
        return 0
    status = await conn.execute(
        """UPDATE visits v SET state = 'planned', planned_on = r.d, team_id = r.t,
               agent_ids = ARRAY(SELECT jsonb_array_elements_text(r.a::jsonb)), band = r.b,
               slot_start = r.s, slot_end = r.e, plan_seq = r.n, updated_at = $9
           FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                       $7::timestamptz[], $8::int[]) AS r(id, d, t, a, b, s, e, n)
           WHERE v.visit_id = r.id AND v.state = 'approved'""",
        [uuid.UUID(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows],
        [orjson.dumps(list(r[3])).decode() for r in rows], [r[4] for r in rows],
        [r[5] for r in rows], [r[6] for r in rows], [r[7] for r in rows], now)
    return int(status.split()[-1])


async def record_run(conn: asyncpg.Connection, day: date, at: datetime, by: str, planned: int,
                     not_planned: int, teams: int) -> int:
    return await conn.fetchval(
        """INSERT INTO plan_runs (day, run_at, run_by, planned, not_planned, teams)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING run_id""", day, at, by, planned, not_planned, teams)


async def replace_not_planned(conn: asyncpg.Connection, day: date, run_id: int,
                              rows: Sequence[tuple[str, str, Sequence[str]]]) -> None:
    """(visit_id, reason, details): the day's list is the last run's."""
    await conn.execute("DELETE FROM plan_not_planned WHERE day = $1", day)
    if rows:
        await conn.execute(
            """INSERT INTO plan_not_planned (day, visit_id, run_id, reason, details)
               SELECT $1, v, $2, r, ARRAY(SELECT jsonb_array_elements_text(d::jsonb))
               FROM unnest($3::uuid[], $4::text[], $5::text[]) AS x(v, r, d)""",
            day, run_id, [uuid.UUID(r[0]) for r in rows], [r[1] for r in rows],
            [orjson.dumps(list(r[2])).decode() for r in rows])


async def last_run(conn: asyncpg.Connection, day: date) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM plan_runs WHERE day = $1 ORDER BY run_id DESC LIMIT 1", day)


async def previous_assignments(conn: asyncpg.Connection, day: date) -> dict[str, tuple]:
    """Visits planned for `day` and not started: (team, band, agents) before a re-plan."""
    rows = await conn.fetch(
        """SELECT visit_id, team_id, band, agent_ids FROM visits
           WHERE state = 'planned' AND planned_on = $1 AND arrived_at IS NULL""", day)
    return {str(r["visit_id"]): (r["team_id"], r["band"], tuple(r["agent_ids"])) for r in rows}
