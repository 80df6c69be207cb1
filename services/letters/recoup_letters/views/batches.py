"""Batches as the clerk's screens show them: state, counts, files, QC summary, log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from ..store import batches as store
from ..store import loads

LOG_TAIL = 50


def _batch(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in ("batch_id", "label", "client_id", "status", "letters", "pages", "bytes", "error",
                             "attempts", "created_by", "created_at", "render_started_at", "generated_at",
                             "approved_by", "approved_at", "revoked_by", "revoked_at", "revoke_reason",
                             "dispatched_by", "dispatched_at")}
    out["letter_types"] = list(r["letter_types"]) if r["letter_types"] else None
    out["preview"] = loads(r["preview"])
    return out


async def batch(conn: asyncpg.Connection, batch_id: str) -> dict[str, Any] | None:
    row = await store.get(conn, batch_id)
    if row is None:
        return None
    out = _batch(row)
    status = await conn.fetch("SELECT status, count(*) AS n FROM letters WHERE batch_id = $1 GROUP BY status",
                              batch_id)
    out["letters_by_status"] = {r["status"]: r["n"] for r in status}
    qc = await store.qc_state(conn, batch_id, store.SENT)
    out["qc"] = {"letters": qc["letters"], "matched": qc["matched"], "tracked": qc["tracked"],
                 "open_mismatches": qc["open_mismatches"], "blocked": qc["open_mismatches"] > 0}
    out["files"] = [dict(f) for f in await store.files(conn, batch_id)]
    log = await conn.fetch("""SELECT at, actor, action, detail::text AS detail FROM batch_log WHERE batch_id = $1
                              ORDER BY id DESC LIMIT $2""", batch_id, LOG_TAIL)
    out["log"] = [{"at": r["at"], "actor": r["actor"], "action": r["action"],
                   "detail": loads(r["detail"]) if r["detail"] else None} for r in log]
    return out


async def list_batches(conn: asyncpg.Connection, *, status: str | None, client_id: str | None,
                       after: tuple[datetime, str] | None, limit: int) -> list[dict[str, Any]]:
    """Newest first; `after` = (created_at ISO, batch_id) of the previous page's last row."""
    after_at = after[0] if after else None
    rows = await conn.fetch(
        """SELECT batch_id, label, client_id, letter_types, status, letters, pages, bytes, preview::text AS preview,
                  error, attempts, created_by, created_at, render_started_at, generated_at, approved_by,
                  approved_at, revoked_by, revoked_at, revoke_reason, dispatched_by, dispatched_at
           FROM batches WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR client_id = $2)
             AND ($3::timestamptz IS NULL OR (created_at, batch_id) < ($3, $4))
           ORDER BY created_at DESC, batch_id DESC LIMIT $5""",
        status, client_id, after_at, after[1] if after else None, limit)
    return [_batch(r) for r in rows]
