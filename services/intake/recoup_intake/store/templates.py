"""Per-client import templates (R-3): versions are immutable (a trigger refuses UPDATE/DELETE)."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.locks import xact_lock


async def create_version(conn: asyncpg.Connection, *, client_id: str, name: str,
                         definition: dict[str, Any], description: str | None,
                         created_by: str) -> asyncpg.Record:
    """The next version of (client_id, name); concurrent writers are serialised by a lock."""
    await xact_lock(conn, "intake-template", client_id, name)
    return await conn.fetchrow(
        """INSERT INTO import_templates (client_id, name, version, definition, description, created_by)
           SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5
           FROM import_templates WHERE client_id = $1 AND name = $2
           RETURNING client_id, name, version, definition, description, created_by, created_at""",
        client_id, name, definition, description, created_by)


async def get_version(conn: asyncpg.Connection, client_id: str, name: str,
                      version: int | None) -> asyncpg.Record | None:
    """A given version, or the latest when version is None."""
    return await conn.fetchrow(
        """SELECT client_id, name, version, definition, description, created_by, created_at
           FROM import_templates WHERE client_id = $1 AND name = $2 AND ($3::int IS NULL OR version = $3)
           ORDER BY version DESC LIMIT 1""", client_id, name, version)
