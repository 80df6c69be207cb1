"""The audit log of full-value reads and identifier lookups (R-46), for auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg


async def audit_entries(conn: asyncpg.Connection, *, actor: str | None, case_id: str | None,
                        action: str | None, since: datetime | None, until: datetime | None,
                        after_id: int | None, limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT id, at, actor, roles, action, case_id::text AS case_id, client_id, fields, reason,
                  correlation_id, detail
           FROM audit_log
           WHERE id > $1 AND ($2::text IS NULL OR actor = $2) AND ($3::uuid IS NULL OR case_id = $3::uuid)
             AND ($4::text IS NULL OR action = $4) AND ($5::timestamptz IS NULL OR at >= $5)
             AND ($6::timestamptz IS NULL OR at < $6)
           ORDER BY id LIMIT $7""",
        after_id or 0, actor, case_id, action, since, until, limit)
    return [dict(r) | {"roles": list(r["roles"]), "fields": list(r["fields"])} for r in rows]
