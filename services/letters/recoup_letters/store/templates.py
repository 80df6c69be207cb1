"""Templates and their versions (R-27)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from . import as_json

VERSION_COLUMNS = """v.template_id, v.version, v.status, v.source, v.sms::text AS sms, v.sha256, v.variables, v.note,
    v.uploaded_by, v.uploaded_at, v.approved_by, v.approved_at, v.approval_reference,
    v.approval_document_sha256, v.approval_document_stored, v.approval_recorded_by, v.approval_recorded_at,
    v.retired_by, v.retired_at, v.retire_reason"""
TEMPLATE_COLUMNS = "t.template_id, t.client_id, t.channel, t.name, t.created_by, t.created_at"


async def get_or_create(conn: asyncpg.Connection, *, template_id: str, client_id: str, channel: str,
                        name: str, by: str, at: datetime) -> asyncpg.Record:
    await conn.execute(
        """INSERT INTO templates (template_id, client_id, channel, name, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (client_id, channel, name) DO NOTHING""",
        template_id, client_id, channel, name, by, at)
    return await conn.fetchrow(
        f"""SELECT {TEMPLATE_COLUMNS} FROM templates t WHERE client_id = $1 AND channel = $2 AND name = $3
            FOR UPDATE""", client_id, channel, name)


async def get(conn: asyncpg.Connection, template_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {TEMPLATE_COLUMNS} FROM templates t WHERE template_id = $1"
                               + (" FOR UPDATE" if lock else ""), template_id)


async def add_version(conn: asyncpg.Connection, row: dict[str, Any]) -> int:
    """The next version number of the template (the caller holds the template's row lock)."""
    return await conn.fetchval(
        """INSERT INTO template_versions (template_id, version, status, source, sms, sha256, variables, note,
               uploaded_by, uploaded_at)
           SELECT $1, COALESCE(max(version), 0) + 1, 'draft', $2, $3::text::jsonb, $4, $5, $6, $7, $8
           FROM template_versions WHERE template_id = $1
           RETURNING version""",
        row["template_id"], row["source"], as_json(row["sms"]) if row.get("sms") is not None else None,
        row["sha256"], list(row["variables"]), row.get("note"), row["by"], row["at"])


async def version(conn: asyncpg.Connection, template_id: str, number: int, *,
                  lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {VERSION_COLUMNS} FROM template_versions v WHERE v.template_id = $1 AND v.version = $2"
        + (" FOR UPDATE" if lock else ""), template_id, number)


async def versions(conn: asyncpg.Connection, template_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {VERSION_COLUMNS} FROM template_versions v WHERE v.template_id = $1 ORDER BY v.version DESC",
        template_id)


async def approve(conn: asyncpg.Connection, template_id: str, number: int, a: dict[str, Any],
                  at: datetime) -> None:
    """The version becomes the approved one; the one approved before is retired (replaced)."""
    await conn.execute(
        """UPDATE template_versions SET status = 'retired', retired_by = $3, retired_at = $4,
               retire_reason = 'replaced by version ' || $2::int
           WHERE template_id = $1 AND status = 'approved'""", template_id, number, a["recorded_by"], at)
    await conn.execute(
        """UPDATE template_versions SET status = 'approved', approved_by = $3, approved_at = $4,
               approval_reference = $5, approval_document_sha256 = $6, approval_recorded_by = $7,
               approval_recorded_at = $8, approval_document_stored = $9
           WHERE template_id = $1 AND version = $2""",
        template_id, number, a["approved_by"], a["approved_at"], a["reference"], a["document_sha256"],
        a["recorded_by"], at, a["stored"])


async def document_stored(conn: asyncpg.Connection, template_id: str, number: int) -> None:
    await conn.execute("UPDATE template_versions SET approval_document_stored = true "
                       "WHERE template_id = $1 AND version = $2", template_id, number)


async def retire(conn: asyncpg.Connection, template_id: str, number: int, by: str, reason: str,
                 at: datetime) -> None:
    await conn.execute(
        """UPDATE template_versions SET status = 'retired', retired_by = $3, retired_at = $5, retire_reason = $4
           WHERE template_id = $1 AND version = $2""", template_id, number, by, reason, at)


async def approved_letter_types(conn: asyncpg.Connection, client_ids: Sequence[str]) -> dict[str, set[str]]:
    """Per client, the letter types with an approved template (R-27: only those can be sent)."""
    rows = await conn.fetch(
        """SELECT t.client_id, t.name FROM templates t JOIN template_versions v USING (template_id)
           WHERE t.channel = 'letter' AND v.status = 'approved' AND t.client_id = ANY($1::text[])""",
        list(client_ids))
    out: dict[str, set[str]] = {c: set() for c in client_ids}
    for r in rows:
        out[r["client_id"]].add(r["name"])
    return out


async def current(conn: asyncpg.Connection, template_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"""SELECT {VERSION_COLUMNS} FROM template_versions v WHERE v.template_id = $1 AND v.status = 'approved'""",
        template_id)
