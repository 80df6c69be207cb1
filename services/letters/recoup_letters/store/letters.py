"""The letters table: planned, requested and re-sent letters through their life (R-28..R-33)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from . import as_json

PENDING = ("planned", "generated", "approved")
_COLUMNS = """letter_id, case_id, client_id, cycle, letter_type, recipient_id, recipient_role, address_id,
    mail_class, status, origin, why, due_type, resend_of, subject, requested_by, created_on, created_at,
    batch_id, sequence, check_code, template_id, template_version, tracking_no, dispatched_at, returned_at,
    return_reason, return_note, cancelled_at, cancel_reason, cancel_detail, updated_at"""


async def insert(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> list[str]:
    """New letters; a row that would break one-in-flight or once-per-cycle (the unique indexes,
    e.g. a concurrent planner got there first) is skipped. Returns the ids inserted."""
    if not rows:
        return []
    got = await conn.fetch(
        """INSERT INTO letters (letter_id, case_id, client_id, cycle, letter_type, recipient_id, recipient_role,
               address_id, mail_class, status, origin, why, due_type, resend_of, subject, requested_by,
               created_on, created_at, updated_at)
           SELECT letter_id, case_id, client_id, cycle, letter_type, recipient_id, recipient_role, address_id,
                  mail_class, 'planned', origin, why, due_type, resend_of, subject, requested_by, created_on, at, at
           FROM jsonb_to_recordset($1::text::jsonb) AS r(letter_id text, case_id text, client_id text, cycle text,
               letter_type text, recipient_id text, recipient_role text, address_id text, mail_class text,
               origin text, why text, due_type text, resend_of text, subject text, requested_by text,
               created_on date, at timestamptz)
           ON CONFLICT DO NOTHING
           RETURNING letter_id""", as_json(list(rows)))
    return [r["letter_id"] for r in got]


async def for_cases(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM letters WHERE case_id = ANY($1::text[]) ORDER BY created_at, letter_id",
        list(case_ids))


async def get(conn: asyncpg.Connection, letter_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM letters WHERE letter_id = $1"
                               + (" FOR UPDATE" if lock else ""), letter_id)


async def find(conn: asyncpg.Connection, *, check_code: str | None = None,
               tracking_no: str | None = None) -> asyncpg.Record | None:
    if check_code:
        return await conn.fetchrow(f"SELECT {_COLUMNS} FROM letters WHERE check_code = $1 FOR UPDATE", check_code)
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM letters WHERE tracking_no = $1 FOR UPDATE", tracking_no)


async def cancel(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, str]], at: datetime) -> list[str]:
    """(letter_id, reason, detail): cancelled only while not yet dispatched (R-31)."""
    if not rows:
        return []
    got = await conn.fetch(
        """UPDATE letters l SET status = 'cancelled', cancelled_at = $4, cancel_reason = r.reason,
               cancel_detail = r.detail, updated_at = $4
           FROM unnest($1::text[], $2::text[], $3::text[]) AS r(letter_id, reason, detail)
           WHERE l.letter_id = r.letter_id AND l.status IN ('planned', 'generated', 'approved')
           RETURNING l.letter_id""",
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], at)
    return [r["letter_id"] for r in got]


async def mark_returned(conn: asyncpg.Connection, letter_id: str, *, at: datetime, reason: str,
                        note: str | None, by: str) -> None:
    await conn.execute(
        """UPDATE letters SET status = 'returned', returned_at = $2, return_reason = $3, return_note = $4,
               return_recorded_by = $5, updated_at = $2 WHERE letter_id = $1""",
        letter_id, at, reason, note, by)


async def returned_awaiting_resend(conn: asyncpg.Connection, after: str, limit: int) -> list[str]:
    """Cases with a returned original letter not re-sent yet (R-31): candidates for a re-send."""
    rows = await conn.fetch(
        """SELECT DISTINCT l.case_id FROM letters l
           WHERE l.status = 'returned' AND l.case_id > $1
             AND NOT EXISTS (SELECT 1 FROM letters r WHERE r.resend_of = COALESCE(l.resend_of, l.letter_id)
                             AND r.status <> 'cancelled' AND r.created_at > l.returned_at)
           ORDER BY l.case_id LIMIT $2""", after, limit)
    return [r["case_id"] for r in rows]
