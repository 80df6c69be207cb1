"""The audit log of full-value reads and identifier lookups (R-46). Append-only (trigger)."""

from __future__ import annotations

from collections.abc import Sequence
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
