"""Compliance policy levels from `policy.changed`: the newest version per (level, scope).

JSON goes in and out as text (cast in SQL), so these functions work on any connection, with or
without the pool's jsonb codec."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
import orjson

Key = tuple[str, str]     # (level, scope_id); scope '' for the system level


async def upsert(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    """(level, scope_id, version, values_dict, changed_by, changed_at); an older version than the
    one kept changes nothing (events may be redelivered or arrive late)."""
    if not rows:
        return 0
    got = await conn.fetch(
        """INSERT INTO policy_levels AS p (level, scope_id, version, "values", changed_by, changed_at)
           SELECT l, s, v, j::jsonb, b, a FROM unnest($1::text[], $2::text[], $3::int[], $4::text[],
                                                  $5::text[], $6::timestamptz[]) AS r(l, s, v, j, b, a)
           ON CONFLICT (level, scope_id) DO UPDATE SET version = EXCLUDED.version,
               "values" = EXCLUDED."values", changed_by = EXCLUDED.changed_by,
               changed_at = EXCLUDED.changed_at
           WHERE p.version < EXCLUDED.version
           RETURNING level""",
        [r[0] for r in rows], [r[1] or "" for r in rows], [r[2] for r in rows],
        [orjson.dumps(r[3]).decode() for r in rows], [r[4] for r in rows], [r[5] for r in rows])
    return len(got)


async def levels(conn: asyncpg.Connection, *, clients: Iterable[str] = (),
                 placements: Iterable[str] = (), cases: Iterable[str] = ()) -> dict[Key, tuple[int, dict]]:
    """The system level and the levels of these scopes: {(level, scope): (version, values)}."""
    rows = await conn.fetch(
        """SELECT level, scope_id, version, "values"::text AS v FROM policy_levels
           WHERE level = 'system'
              OR (level = 'client' AND scope_id = ANY($1::text[]))
              OR (level = 'placement' AND scope_id = ANY($2::text[]))
              OR (level = 'case' AND scope_id = ANY($3::text[]))""",
        sorted(set(clients)), sorted(set(p for p in placements if p)), sorted(set(cases)))
    return {(r["level"], r["scope_id"]): (r["version"], orjson.loads(r["v"])) for r in rows}
