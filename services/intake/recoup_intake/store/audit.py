"""The audit log of full-value reads and identifier lookups (R-46). Append-only (trigger)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg


async def record(conn: asyncpg.Connection, *, actor: str, roles: Sequence[str], action: str,
                 case_id: str | None = None, client_id: str | None = None,
                 fields: Sequence[str] = (), reason: str | None = None,
                 correlation_id: str | None = None, detail: dict[str, Any] | None = None) -> int:
    return await conn.fetchval(
        """INSERT INTO audit_log (actor, roles, action, case_id, client_id, fields, reason,
                                  correlation_id, detail)
           VALUES ($1, $2, $3, $4::uuid, $5, $6, $7, $8, $9) RETURNING id""",
        actor, sorted(roles), action, case_id, client_id, list(fields), reason, correlation_id,
        detail or {})


async def list_entries(conn: asyncpg.Connection, *, actor: str | None, case_id: str | None,
                       action: str | None, since: datetime | None, until: datetime | None,
                       after_id: int, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT id, at, actor, roles, action, case_id::text AS case_id, client_id, fields, reason,
                  correlation_id, detail
           FROM audit_log
           WHERE id > $1 AND ($2::text IS NULL OR actor = $2) AND ($3::uuid IS NULL OR case_id = $3::uuid)
             AND ($4::text IS NULL OR action = $4) AND ($5::timestamptz IS NULL OR at >= $5)
             AND ($6::timestamptz IS NULL OR at < $6)
           ORDER BY id LIMIT $7""",
        after_id, actor, case_id, action, since, until, limit)
