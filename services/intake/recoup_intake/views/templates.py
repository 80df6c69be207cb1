"""Import templates (R-3) as the API shows them."""

from __future__ import annotations

from typing import Any

import asyncpg


def template_view(row: asyncpg.Record | dict, *, with_definition: bool) -> dict[str, Any]:
    out = {k: row[k] for k in ("client_id", "name", "version", "description", "created_by", "created_at")}
    if with_definition:
        out["definition"] = row["definition"]
    return out


async def list_templates(conn: asyncpg.Connection, client_id: str) -> list[dict[str, Any]]:
    """Every version of every template of a client (a handful: not paged)."""
    rows = await conn.fetch(
        """SELECT client_id, name, version, description, created_by, created_at
           FROM import_templates WHERE client_id = $1 ORDER BY name, version""", client_id)
    return [template_view(r, with_definition=False) for r in rows]
