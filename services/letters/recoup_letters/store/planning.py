"""Planning runs: one scheduled run per business day, manual runs on the clerk's request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

from . import as_json

COLUMNS = """run_id, day, kind, status, requested_by, created_at, started_at, finished_at, cases, planned,
    cancelled, resends, planned_by_type::text AS planned_by_type, skipped::text AS skipped, error"""


async def ensure_scheduled(conn: asyncpg.Connection, day: date, at: datetime) -> None:
    await conn.execute(
        """INSERT INTO planning_runs (day, kind, status, created_at) VALUES ($1, 'scheduled', 'queued', $2)
           ON CONFLICT (day) WHERE kind = 'scheduled' DO NOTHING""", day, at)


async def request(conn: asyncpg.Connection, day: date, by: str, at: datetime) -> asyncpg.Record:
    return await conn.fetchrow(
        f"""INSERT INTO planning_runs (day, kind, status, requested_by, created_at)
            VALUES ($1, 'manual', 'queued', $2, $3) RETURNING {COLUMNS}""", day, by, at)


async def claim(conn: asyncpg.Connection, at: datetime, stale_before: datetime) -> asyncpg.Record | None:
    """The oldest queued run, or one whose runner died; marked running (commit to publish)."""
    row = await conn.fetchrow(
        """SELECT run_id FROM planning_runs
           WHERE status = 'queued' OR (status = 'running' AND started_at < $1)
           ORDER BY run_id LIMIT 1 FOR UPDATE SKIP LOCKED""", stale_before)
    if row is None:
        return None
    return await conn.fetchrow(
        f"""UPDATE planning_runs SET status = 'running', started_at = $2, cases = 0, planned = 0, cancelled = 0,
                resends = 0, planned_by_type = '{{}}', skipped = '{{}}', error = NULL
            WHERE run_id = $1 RETURNING {COLUMNS}""", row["run_id"], at)


async def progress(conn: asyncpg.Connection, run_id: int, stats: dict[str, Any], at: datetime) -> None:
    """The counts so far; also the heartbeat that keeps the run from looking dead."""
    await conn.execute(
        """UPDATE planning_runs SET cases = $2, planned = $3, cancelled = $4, resends = $5,
               planned_by_type = $6::text::jsonb, skipped = $7::text::jsonb, started_at = $8
           WHERE run_id = $1""",
        run_id, stats["cases"], stats["planned"], stats["cancelled"], stats["resends"],
        as_json(stats["by_type"]), as_json(stats["skipped"]), at)


async def finish(conn: asyncpg.Connection, run_id: int, status: str, at: datetime, error: str | None = None) -> None:
    await conn.execute("UPDATE planning_runs SET status = $2, finished_at = $3, error = $4 WHERE run_id = $1",
                       run_id, status, at, error)


async def get(conn: asyncpg.Connection, run_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM planning_runs WHERE run_id = $1", run_id)


async def page(conn: asyncpg.Connection, before: int | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {COLUMNS} FROM planning_runs WHERE ($1::bigint IS NULL OR run_id < $1)
            ORDER BY run_id DESC LIMIT $2""", before, limit)


async def latest_done(conn: asyncpg.Connection) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM planning_runs WHERE status = 'done' "
                               "ORDER BY finished_at DESC LIMIT 1")
