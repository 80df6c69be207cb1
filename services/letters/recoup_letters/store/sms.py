"""Text messages (R-27) and the history the compliance gate counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from . import as_json

COLUMNS = """sms_id, case_id, client_id, template_id, template_version, phone_hash, phone_masked, params::text AS params,
    text, status, decision::text AS decision, attempts, requested_by, requested_at, attempt_at, sent_at, provider,
    provider_message_id, provider_code, provider_message, delivered_at, receipt_code, receipt_at, updated_at"""


async def insert(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    await conn.execute(
        """INSERT INTO sms_messages (sms_id, case_id, client_id, template_id, template_version, phone_hash,
               phone_masked, params, text, status, decision, requested_by, requested_at, updated_at)
           SELECT sms_id, case_id, client_id, template_id, template_version, phone_hash, phone_masked, params,
                  text, status, decision, requested_by, at, at
           FROM jsonb_to_recordset($1::text::jsonb) AS r(sms_id text, case_id text, client_id text,
               template_id text, template_version int, phone_hash text, phone_masked text, params jsonb,
               text text, status text, decision jsonb, requested_by text, at timestamptz)""",
        as_json(list(rows)))


async def claim_queued(conn: asyncpg.Connection, limit: int, now: datetime) -> list[asyncpg.Record]:
    """Queued messages due now (a retry waits for its moment), locked for this sender."""
    return await conn.fetch(
        f"""SELECT {COLUMNS} FROM sms_messages
            WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
            ORDER BY requested_at, sms_id LIMIT $1 FOR UPDATE SKIP LOCKED""", limit, now)


async def history(conn: asyncpg.Connection, case_ids: Sequence[str],
                  since: datetime) -> tuple[dict[str, list], dict[str, list]]:
    """Per case: our messages the gate counts (attempt moment, status), and contact's texts."""
    ours: dict[str, list] = {c: [] for c in case_ids}
    theirs: dict[str, list] = {c: [] for c in case_ids}
    for r in await conn.fetch(
            """SELECT case_id, attempt_at, status FROM sms_messages WHERE case_id = ANY($1::text[])
               AND attempt_at IS NOT NULL AND attempt_at > $2""", list(case_ids), since):
        ours[r["case_id"]].append((r["attempt_at"], r["status"]))
    for r in await conn.fetch("SELECT case_id, at FROM external_sms WHERE case_id = ANY($1::text[]) AND at > $2",
                              list(case_ids), since):
        theirs[r["case_id"]].append(r["at"])
    return ours, theirs


async def update(conn: asyncpg.Connection, sms_id: str, at: datetime, **fields: Any) -> None:
    names = sorted(fields)
    sets = ", ".join(f"{n} = ${i}" + ("::text::jsonb" if n == "decision" else "") for i, n in enumerate(names, 3))
    values = [as_json(fields[n]) if n == "decision" else fields[n] for n in names]
    await conn.execute(f"UPDATE sms_messages SET updated_at = $2, {sets} WHERE sms_id = $1", sms_id, at, *values)


async def get(conn: asyncpg.Connection, sms_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM sms_messages WHERE sms_id = $1", sms_id)


async def page(conn: asyncpg.Connection, *, case_id: str | None, status: str | None,
               after: tuple[datetime, str] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {COLUMNS} FROM sms_messages
            WHERE ($1::text IS NULL OR case_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::timestamptz IS NULL OR (requested_at, sms_id) < ($3, $4))
            ORDER BY requested_at DESC, sms_id DESC LIMIT $5""",
        case_id, status, after[0] if after else None, after[1] if after else None, limit)


async def apply_receipts(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Delivery receipts by the provider's message id or our id (out_id); a receipt never turns a
    delivered message back."""
    if not rows:
        return 0
    got = await conn.fetch(
        """UPDATE sms_messages m SET status = CASE WHEN r.delivered THEN 'delivered' ELSE 'undelivered' END,
               delivered_at = CASE WHEN r.delivered THEN COALESCE(r.reported_at, r.at) END,
               receipt_code = r.code, receipt_at = r.at, updated_at = r.at
           FROM jsonb_to_recordset($1::text::jsonb) AS r(provider_message_id text, out_id text, delivered boolean,
               code text, reported_at timestamptz, at timestamptz)
           WHERE (m.provider_message_id = r.provider_message_id OR m.sms_id = r.out_id)
             AND m.status IN ('sent', 'undelivered')
           RETURNING m.sms_id""", as_json(list(rows)))
    return len(got)


async def record_external(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, datetime]]) -> None:
    """(contact_id, case_id, at) of texts contact sent: the caps count them too."""
    if not rows:
        return
    await conn.execute(
        """INSERT INTO external_sms (contact_id, case_id, at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) ON CONFLICT DO NOTHING""",
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
