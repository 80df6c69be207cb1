"""Contact-policy levels (R-14..R-18): every version of every scope, append-only; the newest version
of a scope is the one in force. The system level's scope is ''."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

_COLUMNS = """level, scope_id, version, "values", changed_by, changed_at, reason"""


async def current(conn: asyncpg.Connection, level: str, scope: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM policy_levels WHERE level = $1 AND scope_id = $2
            ORDER BY version DESC LIMIT 1""", level, scope)


async def values_of(conn: asyncpg.Connection, level: str, scope: str, version: int) -> dict[str, Any]:
    return await conn.fetchval(
        """SELECT "values" FROM policy_levels WHERE level = $1 AND scope_id = $2 AND version = $3""",
        level, scope, version)


async def versions(conn: asyncpg.Connection, level: str, scope: str, *, before: int | None,
                   limit: int) -> list[asyncpg.Record]:
    """The audit trail of one scope, newest first."""
    return await conn.fetch(
        f"""SELECT {_COLUMNS} FROM policy_levels WHERE level = $1 AND scope_id = $2
              AND ($3::int IS NULL OR version < $3) ORDER BY version DESC LIMIT $4""",
        level, scope, before, limit)


async def insert(conn: asyncpg.Connection, *, level: str, scope: str, version: int, values: dict[str, Any],
                 by: str, at: datetime, reason: str) -> None:
    await conn.execute(
        f"""INSERT INTO policy_levels ({_COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)""",
        level, scope, version, values, by, at, reason)


# The versions in force for a case, read with the case (store.casepage) or here: system, client,
# placement as version numbers (their values are cached per version), the case level with its values.
LEVEL_COLUMNS = """
    (SELECT max(p.version) FROM policy_levels p WHERE p.level = 'system' AND p.scope_id = '') AS system_policy_v,
    (SELECT max(p.version) FROM policy_levels p WHERE p.level = 'client' AND p.scope_id = c.client_id)
        AS client_policy_v,
    (SELECT max(p.version) FROM policy_levels p WHERE p.level = 'placement' AND p.scope_id = c.placement_id)
        AS placement_policy_v,
    (SELECT jsonb_build_array(p.version, p."values") FROM policy_levels p
     WHERE p.level = 'case' AND p.scope_id = c.case_id ORDER BY p.version DESC LIMIT 1) AS case_policy
"""


async def for_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {LEVEL_COLUMNS} FROM cases c WHERE c.case_id = $1", case_id)


async def for_cases(conn: asyncpg.Connection, case_ids: list[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch(f"SELECT c.case_id, {LEVEL_COLUMNS} FROM cases c WHERE c.case_id = ANY($1::text[])",
                            case_ids)
    return {r["case_id"]: r for r in rows}


async def placement_client(conn: asyncpg.Connection, placement_id: str) -> str | None:
    """The client of a placement known here (its cases arrived)."""
    return await conn.fetchval("SELECT client_id FROM cases WHERE placement_id = $1 LIMIT 1", placement_id)
