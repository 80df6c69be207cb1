"""Per-client letter configuration (R-28..R-31) and the compliance levels of policy.changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from . import as_json, loads


async def configs(conn: asyncpg.Connection, client_ids: Sequence[str]) -> dict[str, tuple[int, dict]]:
    rows = await conn.fetch("SELECT client_id, version, config::text AS config FROM client_configs "
                            "WHERE client_id = ANY($1::text[])", list(client_ids))
    return {r["client_id"]: (r["version"], loads(r["config"])) for r in rows}


async def config_row(conn: asyncpg.Connection, client_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT client_id, version, config::text AS config, updated_by, updated_at "
                               "FROM client_configs WHERE client_id = $1", client_id)


async def put_config(conn: asyncpg.Connection, client_id: str, config: dict[str, Any], by: str,
                     at: datetime) -> int:
    return await conn.fetchval(
        """INSERT INTO client_configs AS c (client_id, config, version, updated_by, updated_at)
           VALUES ($1, $2::text::jsonb, 1, $3, $4)
           ON CONFLICT (client_id) DO UPDATE SET config = EXCLUDED.config, version = c.version + 1,
               updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
           RETURNING version""", client_id, as_json(config), by, at)


async def upsert_levels(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """(level, scope_id, version, values, changed_by, changed_at): an older version than the one
    kept changes nothing (events may be redelivered or arrive late)."""
    if not rows:
        return 0
    got = await conn.fetch(
        """INSERT INTO policy_levels AS p (level, scope_id, version, "values", changed_by, changed_at)
           SELECT DISTINCT ON (l, s) l, s, v, j::jsonb, b, a
           FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])
                AS r(l, s, v, j, b, a)
           ORDER BY l, s, v DESC
           ON CONFLICT (level, scope_id) DO UPDATE SET version = EXCLUDED.version,
               "values" = EXCLUDED."values", changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at
           WHERE p.version < EXCLUDED.version
           RETURNING level""",
        [r[0] for r in rows], [r[1] or "" for r in rows], [r[2] for r in rows], [as_json(r[3]) for r in rows],
        [r[4] for r in rows], [r[5] for r in rows])
    return len(got)


async def levels(conn: asyncpg.Connection, *, clients: Iterable[str] = (), placements: Iterable[str] = (),
                 cases: Iterable[str] = ()) -> dict[tuple[str, str], tuple[int, dict]]:
    """The system level and the levels of these scopes: {(level, scope): (version, values)}."""
    rows = await conn.fetch(
        """SELECT level, scope_id, version, "values"::text AS v FROM policy_levels
           WHERE level = 'system'
              OR (level = 'client' AND scope_id = ANY($1::text[]))
              OR (level = 'placement' AND scope_id = ANY($2::text[]))
              OR (level = 'case' AND scope_id = ANY($3::text[]))""",
        sorted(set(clients)), sorted({p for p in placements if p}), sorted(set(cases)))
    return {(r["level"], r["scope_id"]): (r["version"], loads(r["v"])) for r in rows}


async def case_levels(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, dict]:
    """The case levels contact published for these cases: {case_id: values}."""
    rows = await conn.fetch("""SELECT scope_id, "values"::text AS v FROM policy_levels
                               WHERE level = 'case' AND scope_id = ANY($1::text[])""", list(case_ids))
    return {r["scope_id"]: loads(r["v"]) for r in rows}
