"""Visit records (R-37), their evidence rows, and the audit of reads of personal data (R-46)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from ..adapters.evidence import StoredEvidence
from ..rules.records import VisitRecord


async def insert_record(conn: asyncpg.Connection, visit_id: str, r: VisitRecord, *,
                        new_phone_enc: bytes | None, new_phone_masked: str | None,
                        by: str, at: datetime) -> None:
    address = None
    if r.new_address is not None:
        a = r.new_address
        address = orjson.dumps({"kind": a.kind, "province": a.province, "city": a.city,
                                "district": a.district, "line": a.line}).decode()
    await conn.execute(
        """INSERT INTO visit_records (visit_id, agent_ids, arrived_at, left_at, address_verified, met,
               outcome, promise_amount, promise_due_on, new_address, new_phone_enc, new_phone_masked,
               next_step, note, recorded_by, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12, $13, $14, $15, $16)""",
        uuid.UUID(visit_id), list(r.agent_ids), r.arrived_at, r.left_at, r.address_verified,
        [m.value for m in r.met], r.outcome.value, r.promise.amount if r.promise else None,
        r.promise.due_on if r.promise else None, address, new_phone_enc, new_phone_masked,
        r.next_step.value, r.note, by, at)


async def record(conn: asyncpg.Connection, visit_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT visit_id, agent_ids, arrived_at, left_at, address_verified, met, outcome,
                  promise_amount, promise_due_on, new_address::text AS new_address, new_phone_masked,
                  next_step, note, recorded_by, recorded_at FROM visit_records WHERE visit_id = $1""",
        uuid.UUID(visit_id))
    if row is None:
        return None
    out = dict(row)
    out["visit_id"] = str(row["visit_id"])
    out["new_address"] = orjson.loads(row["new_address"]) if row["new_address"] else None
    return out


async def add_evidence(conn: asyncpg.Connection, visit_id: str, stored: StoredEvidence,
                       by: str) -> dict[str, Any]:
    """The stored object's row; the same content again returns the row it already has."""
    row = await conn.fetchrow(
        """INSERT INTO evidence (evidence_id, visit_id, kind, object_key, sha256, size, content_type,
                                 stored_at, retain_until, locked, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (visit_id, kind, sha256) DO UPDATE SET deleted_at = NULL
           RETURNING *""",
        uuid.uuid4(), uuid.UUID(visit_id), stored.kind.value, stored.key, stored.sha256, stored.size,
        stored.content_type, stored.stored_at, stored.retain_until, stored.locked, by)
    return _evidence(row)


def _evidence(row: asyncpg.Record) -> dict[str, Any]:
    out = dict(row)
    out["evidence_id"], out["visit_id"] = str(row["evidence_id"]), str(row["visit_id"])
    return out


async def evidence_of(conn: asyncpg.Connection, visit_id: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT * FROM evidence WHERE visit_id = $1 AND deleted_at IS NULL ORDER BY stored_at, evidence_id",
        uuid.UUID(visit_id))
    return [_evidence(r) for r in rows]


async def evidence(conn: asyncpg.Connection, visit_id: str, evidence_id: str) -> dict[str, Any] | None:
    try:
        eid = uuid.UUID(evidence_id)
    except ValueError:
        return None
    row = await conn.fetchrow(
        "SELECT * FROM evidence WHERE evidence_id = $1 AND visit_id = $2 AND deleted_at IS NULL FOR UPDATE",
        eid, uuid.UUID(visit_id))
    return _evidence(row) if row else None


async def mark_deleted(conn: asyncpg.Connection, evidence_id: str, at: datetime) -> None:
    await conn.execute("UPDATE evidence SET deleted_at = $2 WHERE evidence_id = $1",
                       uuid.UUID(evidence_id), at)


async def audit_read(conn: asyncpg.Connection, sub: str, what: str, ids: Sequence[str],
                     at: datetime | None = None) -> None:
    """R-46: every read of full addresses or evidence is logged with who and when (the real
    time of the read when no moment is given)."""
    if ids:
        await conn.execute(
            "INSERT INTO personal_data_reads (at, sub, what, ids) VALUES (coalesce($1, now()), $2, $3, $4)",
            at, sub, what, [str(i) for i in ids])
