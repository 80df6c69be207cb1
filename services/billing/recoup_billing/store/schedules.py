"""Fee schedule versions (R-39..R-41): append-only; a contract change is a new version."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.locks import xact_lock

from ..rules import FeeSchedule, schedule_from_dict, schedule_to_dict


async def insert_schedule(conn: asyncpg.Connection, client_id: str, body: dict[str, Any],
                          created_by: str, note: str | None) -> tuple[FeeSchedule, asyncpg.Record]:
    """Validates through the rules (FeeScheduleError / TypeError propagate) and stores version
    max+1. The advisory lock serialises concurrent PUTs of one client."""
    await xact_lock(conn, "billing-schedule", client_id)
    version = await conn.fetchval(
        "SELECT COALESCE(max(version), 0) + 1 FROM fee_schedules WHERE client_id = $1", client_id)
    schedule = schedule_from_dict({**body, "client_id": client_id, "version": version})
    row = await conn.fetchrow(
        """INSERT INTO fee_schedules (client_id, version, effective_from, schedule, created_by, note)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *""",
        client_id, version, schedule.effective_from, schedule_to_dict(schedule), created_by, note)
    return schedule, row


async def load_schedules(conn: asyncpg.Connection, client_id: str) -> list[tuple[FeeSchedule, asyncpg.Record]]:
    rows = await conn.fetch(
        "SELECT * FROM fee_schedules WHERE client_id = $1 ORDER BY version", client_id)
    return [(schedule_from_dict(r["schedule"]), r) for r in rows]

