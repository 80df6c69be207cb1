"""The read side, shaped for the API (a named read side, not ad-hoc SQL in routes)."""

from __future__ import annotations

from typing import Any

import asyncpg


async def case_detail(conn: asyncpg.Connection, case_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT case_id, client_id, placement_id, placed_amount, received_at
           FROM cases WHERE case_id = $1""", case_id)
    return dict(row) if row else None


async def list_cases(conn: asyncpg.Connection, *, client_id: str | None, after: str | None,
                     limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT case_id, client_id, placement_id, placed_amount, received_at FROM cases
           WHERE ($1::text IS NULL OR client_id = $1) AND ($2::text IS NULL OR case_id > $2)
           ORDER BY case_id LIMIT $3""", client_id, after, limit)
    return [dict(r) for r in rows]
