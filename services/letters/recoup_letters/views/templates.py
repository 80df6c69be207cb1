"""Templates and their versions (R-27), with each version's approval."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from ..store import loads
from ..store import templates as store


def _version(r: Mapping[str, Any]) -> dict[str, Any]:
    approval = None
    if r["approved_by"]:
        approval = {"approved_by": r["approved_by"], "approved_at": r["approved_at"],
                    "reference": r["approval_reference"], "document_sha256": r["approval_document_sha256"],
                    "document_stored": r["approval_document_stored"], "recorded_by": r["approval_recorded_by"],
                    "recorded_at": r["approval_recorded_at"]}
    return {"template_id": r["template_id"], "version": r["version"], "status": r["status"],
            "source": r["source"], "sms": loads(r["sms"]) if r["sms"] else None, "sha256": r["sha256"],
            "variables": list(r["variables"]), "note": r["note"], "uploaded_by": r["uploaded_by"],
            "uploaded_at": r["uploaded_at"], "approval": approval, "retired_by": r["retired_by"],
            "retired_at": r["retired_at"], "retire_reason": r["retire_reason"]}


async def version(conn: asyncpg.Connection, template_id: str, number: int) -> dict[str, Any] | None:
    row = await store.version(conn, template_id, number)
    return _version(row) if row else None


def _summary(t: Mapping[str, Any], current: int | None, latest: int | None) -> dict[str, Any]:
    return {"template_id": t["template_id"], "client_id": t["client_id"], "channel": t["channel"],
            "name": t["name"], "created_by": t["created_by"], "created_at": t["created_at"],
            "current_version": current, "latest_version": latest}


async def template(conn: asyncpg.Connection, template_id: str) -> dict[str, Any] | None:
    t = await store.get(conn, template_id)
    if t is None:
        return None
    versions = [_version(v) for v in await store.versions(conn, template_id)]
    current = next((v["version"] for v in versions if v["status"] == "approved"), None)
    out = _summary(t, current, versions[0]["version"] if versions else None)
    out["versions"] = versions
    return out


async def list_templates(conn: asyncpg.Connection, *, client_id: str | None, channel: str | None,
                         after: str | None, limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT t.template_id, t.client_id, t.channel, t.name, t.created_by, t.created_at,
                  max(v.version) FILTER (WHERE v.status = 'approved') AS current, max(v.version) AS latest
           FROM templates t LEFT JOIN template_versions v USING (template_id)
           WHERE ($1::text IS NULL OR t.client_id = $1) AND ($2::text IS NULL OR t.channel = $2)
             AND ($3::text IS NULL OR t.template_id > $3)
           GROUP BY t.template_id ORDER BY t.template_id LIMIT $4""", client_id, channel, after, limit)
    return [_summary(r, r["current"], r["latest"]) for r in rows]
