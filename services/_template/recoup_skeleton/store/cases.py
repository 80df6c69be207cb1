"""The cases table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg


async def upsert(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """rows: (case_id, client_id, placement_id, placed_amount, received_at)."""
    if not rows:
        return
    cols = list(zip(*rows))
    await conn.execute(
        """INSERT INTO cases (case_id, client_id, placement_id, placed_amount, received_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[])
           ON CONFLICT (case_id) DO UPDATE SET placed_amount = EXCLUDED.placed_amount,
               placement_id = EXCLUDED.placement_id, received_at = EXCLUDED.received_at""",
        *[list(c) for c in cols])


async def count_received_before(conn: asyncpg.Connection, now: datetime, days: int) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM cases WHERE received_at < $1::timestamptz - make_interval(days => $2)", now, days)
