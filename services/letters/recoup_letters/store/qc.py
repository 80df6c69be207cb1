"""QC scans (R-32) and the check codes they look up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg


async def codes(conn: asyncpg.Connection, values: Sequence[str]) -> dict[str, asyncpg.Record]:
    """The letters (with their batch's state) behind the given codes, current or void."""
    rows = await conn.fetch(
        """SELECT k.code, k.letter_id, k.batch_id, k.sequence, k.void_at, l.status AS letter_status,
                  b.status AS batch_status
           FROM check_codes k JOIN letters l USING (letter_id) JOIN batches b ON b.batch_id = k.batch_id
           WHERE k.code = ANY($1::text[])""", list(values))
    return {r["code"]: r for r in rows}


async def record(conn: asyncpg.Connection, row: dict[str, Any]) -> int:
    return await conn.fetchval(
        """INSERT INTO qc_scans (batch_id, other_batch_id, letter_id, envelope_letter_id, letter_code,
               envelope_code, outcome, detail, scanned_by, scanned_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING scan_id""",
        row["batch_id"], row.get("other_batch_id"), row.get("letter_id"), row.get("envelope_letter_id"),
        row.get("letter_code"), row.get("envelope_code"), row["outcome"], row["detail"], row["by"], row["at"])


async def get(conn: asyncpg.Connection, scan_id: int, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT scan_id, batch_id, other_batch_id, letter_id, envelope_letter_id, letter_code, envelope_code,
                  outcome, detail, scanned_by, scanned_at, resolved_by, resolved_at, resolution
           FROM qc_scans WHERE scan_id = $1""" + (" FOR UPDATE" if lock else ""), scan_id)


async def matched_since(conn: asyncpg.Connection, letter_ids: Sequence[str], scan_id: int) -> set[str]:
    """The letters (among these) scanned as a match after the given scan."""
    rows = await conn.fetch(
        """SELECT DISTINCT s.letter_id FROM qc_scans s JOIN letters l USING (letter_id)
           WHERE s.letter_id = ANY($1::text[]) AND s.outcome = 'match' AND s.scan_id > $2
             AND s.letter_code = l.check_code""", list(letter_ids), scan_id)
    return {r["letter_id"] for r in rows}


async def resolve(conn: asyncpg.Connection, scan_id: int, by: str, resolution: str, at: datetime) -> None:
    await conn.execute("UPDATE qc_scans SET resolved_by = $2, resolved_at = $3, resolution = $4 WHERE scan_id = $1",
                       scan_id, by, at, resolution)


async def report(conn: asyncpg.Connection, batch_id: str, limit: int) -> dict[str, Any]:
    """R-32 per batch: letters still to go, matched, not yet scanned (first `limit` sequences),
    mismatches open and resolved, same-sheet rescans, cancelled letters to pull from the run."""
    letters = await conn.fetch(
        """SELECT l.sequence, l.status, l.cancel_reason,
                  EXISTS (SELECT 1 FROM qc_scans s WHERE s.letter_id = l.letter_id AND s.outcome = 'match'
                          AND s.letter_code = l.check_code) AS matched
           FROM letters l WHERE l.batch_id = $1 ORDER BY l.sequence""", batch_id)
    going = [r for r in letters if r["status"] != "cancelled"]
    scans = await conn.fetch(
        """SELECT scan_id, batch_id, other_batch_id, letter_code, envelope_code, outcome, detail, scanned_by,
                  scanned_at, resolved_by, resolved_at, resolution
           FROM qc_scans WHERE (batch_id = $1 OR other_batch_id = $1) AND outcome <> 'match'
           ORDER BY scan_id""", batch_id)
    return {
        "letters": len(going), "matched": sum(1 for r in going if r["matched"]),
        "unscanned": [r["sequence"] for r in going if not r["matched"]][:limit],
        "unscanned_count": sum(1 for r in going if not r["matched"]),
        "cancelled": [{"sequence": r["sequence"], "reason": r["cancel_reason"]}
                      for r in letters if r["status"] == "cancelled"][:limit],
        "scans": await conn.fetchval("SELECT count(*) FROM qc_scans WHERE batch_id = $1", batch_id),
        "mismatches": [dict(r) for r in scans if r["outcome"] == "mismatch"],
        "same_sheet": sum(1 for r in scans if r["outcome"] == "same_sheet"),
    }
