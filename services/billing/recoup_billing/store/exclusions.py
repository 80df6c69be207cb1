"""R-42 exclusions (proven death or criminal conviction, with evidence): one per placement spell,
never updated; the month close reads them (store/close.py)."""

from __future__ import annotations

from uuid import UUID

import asyncpg


async def insert_exclusion(conn: asyncpg.Connection, *, case_id: UUID, placement_id: str,
                           client_id: str, kind: str, evidence_ref: str, evidence_sha256: str,
                           note: str | None, recorded_by: str) -> asyncpg.Record | None:
    """None when the spell already has an exclusion."""
    return await conn.fetchrow(
        """INSERT INTO billing_exclusions (case_id, placement_id, client_id, kind, evidence_ref,
                                           evidence_sha256, note, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (case_id, placement_id) DO NOTHING RETURNING *""",
        case_id, placement_id, client_id, kind, evidence_ref, evidence_sha256, note, recorded_by)
