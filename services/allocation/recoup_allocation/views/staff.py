"""Teams, collectors and client rules as the API shows them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from ..store.staff import COLLECTOR_COLUMNS, RULE_COLUMNS, TEAM_COLUMNS


async def list_teams(conn: asyncpg.Connection, team_ids: list[str] | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""SELECT {TEAM_COLUMNS} FROM teams WHERE ($1::text[] IS NULL OR team_id = ANY($1))
            ORDER BY team_id""", team_ids)
    return [dict(r) for r in rows]


async def list_collectors(conn: asyncpg.Connection, *, team_id: str | None = None,
                          active: bool | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""SELECT {COLLECTOR_COLUMNS} FROM collectors
            WHERE ($1::text IS NULL OR team_id = $1) AND ($2::boolean IS NULL OR active = $2)
            ORDER BY collector_id""", team_id, active)
    return [dict(r) for r in rows]


def rules_out(row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out.pop("created", None)
    return out


async def list_client_rules(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch(f"SELECT {RULE_COLUMNS} FROM client_rules ORDER BY client_id")
    return [rules_out(r) for r in rows]
