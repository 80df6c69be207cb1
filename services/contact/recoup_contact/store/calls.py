"""Calls (click-to-dial and the PBX's CDR, R-19), quality flags and the collectors' PBX lines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg


async def create(conn: asyncpg.Connection, *, call_id: UUID, case_id: str, point_id: UUID, collector_id: str,
                 attempt_id: UUID, requested_at: datetime) -> None:
    await conn.execute(
        """INSERT INTO calls (call_id, case_id, point_id, collector_id, attempt_id, requested_at, state)
           VALUES ($1, $2, $3, $4, $5, $6, 'originated')""",
        call_id, case_id, point_id, collector_id, attempt_id, requested_at)


async def set_pbx_ref(conn: asyncpg.Connection, call_id: UUID, pbx_ref: str | None) -> None:
    await conn.execute("UPDATE calls SET pbx_ref = $2 WHERE call_id = $1", call_id, pbx_ref)


_READ = """call_id, case_id, point_id, collector_id, attempt_id, requested_at, state, pbx_ref, answered,
    ring_seconds, talk_seconds, started_at, ended_at, hangup_cause, recording_uri, recording_sha256,
    recording_bytes, retain_until, cdr_at, cdr_sha256, record_id, no_record_flagged"""


async def get(conn: asyncpg.Connection, call_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_READ} FROM calls WHERE call_id = $1"
                               + (" FOR UPDATE" if for_update else ""), call_id)


async def complete(conn: asyncpg.Connection, call_id: UUID, cdr: dict[str, Any], *, retain_until: date,
                   cdr_sha256: str, now: datetime) -> None:
    rec = cdr.get("recording") or {}
    await conn.execute(
        """UPDATE calls SET state = 'ended', answered = $2, ring_seconds = $3, talk_seconds = $4,
               started_at = $5, ended_at = $6, hangup_cause = $7, recording_uri = $8, recording_sha256 = $9,
               recording_bytes = $10, retain_until = $11, cdr_at = $12, cdr_sha256 = $13
           WHERE call_id = $1""",
        call_id, cdr["answered"], cdr["ring_seconds"], cdr["talk_seconds"], cdr.get("started_at"),
        cdr.get("ended_at"), cdr.get("hangup_cause"), rec.get("uri"), rec.get("sha256"), rec.get("bytes"),
        retain_until, now, cdr_sha256)


async def link_record(conn: asyncpg.Connection, call_id: UUID, record_id: UUID) -> None:
    await conn.execute("UPDATE calls SET record_id = coalesce(record_id, $2) WHERE call_id = $1", call_id, record_id)


async def waiting_for_record(conn: asyncpg.Connection, older_than: datetime, limit: int) -> list[asyncpg.Record]:
    """Calls with no contact record after the grace time (claimed: replicas take different ones)."""
    return await conn.fetch(
        f"""SELECT {_READ} FROM calls WHERE record_id IS NULL AND NOT no_record_flagged AND requested_at < $1
            ORDER BY requested_at LIMIT $2 FOR UPDATE SKIP LOCKED""", older_than, limit)


async def mark_no_record_flagged(conn: asyncpg.Connection, call_ids: list[UUID]) -> None:
    await conn.execute("UPDATE calls SET no_record_flagged = true WHERE call_id = ANY($1::uuid[])", call_ids)


async def flag(conn: asyncpg.Connection, *, flag_id: UUID, kind: str, case_id: str, call_id: UUID | None,
               record_id: UUID | None, collector_id: str | None, detail: dict[str, Any], now: datetime) -> bool:
    """A mismatch for quality inspection (R-19, R-48), once per kind and call."""
    result = await conn.execute(
        """INSERT INTO quality_flags (flag_id, kind, case_id, call_id, record_id, collector_id, detail, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, call_id) DO NOTHING""",
        flag_id, kind, case_id, call_id, record_id, collector_id, detail, now)
    return result.endswith("1")


async def flags(conn: asyncpg.Connection, *, kind: str | None, collector_id: str | None,
                after: tuple[datetime, UUID] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT flag_id, kind, case_id, call_id, record_id, collector_id, detail, created_at FROM quality_flags
           WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR collector_id = $2)
             AND ($3::timestamptz IS NULL OR (created_at, flag_id) > ($3::timestamptz, $4::uuid))
           ORDER BY created_at, flag_id LIMIT $5""",
        kind, collector_id, after[0] if after else None, after[1] if after else None, limit)


async def of_case(conn: asyncpg.Connection, case_id: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {_READ} FROM calls WHERE case_id = $1 ORDER BY requested_at DESC LIMIT $2",
                            case_id, limit)


async def agent_line(conn: asyncpg.Connection, collector_id: str) -> str | None:
    return await conn.fetchval("SELECT extension FROM agent_lines WHERE collector_id = $1", collector_id)


async def set_agent_line(conn: asyncpg.Connection, collector_id: str, extension: str, by: str, now: datetime) -> None:
    await conn.execute(
        """INSERT INTO agent_lines (collector_id, extension, updated_by, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (collector_id) DO UPDATE SET extension = $2, updated_by = $3, updated_at = $4""",
        collector_id, extension, by, now)
