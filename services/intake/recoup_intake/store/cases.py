"""Cases after import: resolving a client's account references, locking, status and amount
changes, added phones/addresses (the personal-data blob rewritten), recalls. The staff reads are
in views/cases.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.bus.outbox import write_outbox_select
from recoup_shared.bus.topics import CASE_UPDATED


# Which case an account reference means when the account was placed more than once (after a
# recall or closing): the open one, else the most recently placed.
_RESOLVE_ORDER = "(c.status = 'open') DESC, c.created_at DESC, c.id"


async def resolve_accounts(conn: asyncpg.Connection, client_id: str,
                           account_hashes: Sequence[str]) -> dict[str, asyncpg.Record]:
    """account_hash -> the case it designates for this client (see _RESOLVE_ORDER)."""
    if not account_hashes:
        return {}
    rows = await conn.fetch(
        f"""SELECT DISTINCT ON (c.account_hash) c.account_hash, c.id, c.status
            FROM unnest($2::text[]) AS h(account_hash)
            JOIN cases c ON c.account_hash = h.account_hash AND c.client_id = $1
            ORDER BY c.account_hash, {_RESOLVE_ORDER}""",
        client_id, list(set(account_hashes)))
    return {r["account_hash"]: r for r in rows}


async def lock_cases(conn: asyncpg.Connection, case_ids: Sequence[Any]) -> dict[str, asyncpg.Record]:
    """Row locks in id order (no deadlock between two batches touching the same cases). NO KEY
    UPDATE: the key does not change, so joint-debt links (FK) to these cases are not blocked."""
    if not case_ids:
        return {}
    rows = await conn.fetch(
        """SELECT id, id::text AS case_id, client_id, status, account_masked, principal, interest,
                  fees, placed_amount, repaid_total, flags, remarks, warnings, skip_trace
           FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE""",
        list(set(case_ids)))
    return {r["case_id"]: r for r in rows}


async def apply_case_changes(conn: asyncpg.Connection, changes: Sequence[dict[str, Any]], now: datetime) -> None:
    """Set-based UPDATE of amounts / repaid total / status / flags / remarks for many cases (one
    statement whatever the count). Each change dict carries every column: the caller merged the
    old and new values. Flags and warnings are vocabulary codes (no commas): they travel joined.
    `now`: the business clock's (when a case closed or was recalled)."""
    if not changes:
        return
    await conn.execute(
        """UPDATE cases c SET
               principal = u.principal, interest = u.interest, fees = u.fees,
               placed_amount = u.placed_amount, repaid_total = u.repaid_total,
               status_reason = CASE WHEN u.status <> c.status THEN u.status_reason ELSE c.status_reason END,
               closed_at = CASE WHEN u.status = 'closed' AND c.status <> 'closed' THEN $12 ELSE c.closed_at END,
               recalled_at = CASE WHEN u.status = 'recalled' AND c.status <> 'recalled' THEN $12 ELSE c.recalled_at END,
               status = u.status,
               flags = COALESCE(string_to_array(NULLIF(u.flags, ''), ','), '{}'),
               remarks = u.remarks,
               warnings = COALESCE(string_to_array(NULLIF(u.warnings, ''), ','), '{}'),
               skip_trace = u.skip_trace,
               updated_at = $12
           FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[],
                       $6::numeric[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                       $13::bool[])
                AS u(id, principal, interest, fees, placed_amount, repaid_total, status, status_reason,
                     flags, remarks, warnings, skip_trace)
           WHERE c.id = u.id""",
        [c["case_id"] for c in changes], [c["principal"] for c in changes],
        [c["interest"] for c in changes], [c["fees"] for c in changes],
        [c["placed_amount"] for c in changes], [c["repaid_total"] for c in changes],
        [c["status"] for c in changes], [c.get("status_reason") for c in changes],
        [",".join(c["flags"]) for c in changes], [c.get("remarks") for c in changes],
        [",".join(c.get("warnings") or []) for c in changes], now,
        [bool(c.get("skip_trace")) for c in changes])


async def personal_data(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, bytes]:
    """case_id -> its encrypted personal-data blob (the caller holds the row locks)."""
    if not case_ids:
        return {}
    rows = await conn.fetch(
        "SELECT id::text AS case_id, personal_enc FROM cases WHERE id = ANY($1::uuid[])", list(case_ids))
    return {r["case_id"]: r["personal_enc"] for r in rows}


async def store_personal_data(conn: asyncpg.Connection, blobs: Sequence[tuple[str, bytes]],
                              phones: Sequence[tuple[str, str]], now: datetime) -> None:
    """Rewrite the blobs (case_id, personal_enc) of cases whose contacts grew, and add the new
    phones to the lookup (number_hash, case_id): one statement each."""
    if blobs:
        await conn.execute(
            """UPDATE cases c SET personal_enc = u.personal_enc, updated_at = $3
               FROM unnest($1::uuid[], $2::bytea[]) AS u(id, personal_enc) WHERE c.id = u.id""",
            [b[0] for b in blobs], [b[1] for b in blobs], now)
    if phones:
        await conn.copy_records_to_table("phone_lookup", columns=["number_hash", "case_id"], records=phones)


async def recall_placement_cases(conn: asyncpg.Connection, placement_id: Any, reason: str | None,
                                 now: datetime) -> list[asyncpg.Record]:
    """R-5 退案 of a whole placement: every still-open case, one statement."""
    return await conn.fetch(
        """WITH locked AS (SELECT id FROM cases WHERE placement_id = $1 AND status = 'open'
                           ORDER BY id FOR NO KEY UPDATE)
           UPDATE cases c SET status = 'recalled', status_reason = $2, recalled_at = $3, updated_at = $3
           FROM locked WHERE c.id = locked.id AND c.status = 'open'
           RETURNING c.id::text AS case_id, c.client_id, c.placed_amount, c.repaid_total""",
        placement_id, reason, now)


async def announce_placement_cases(conn: asyncpg.Connection, placement_id: Any,
                                   template: tuple[str, Sequence[str]]) -> int:
    """One `case.updated` per case of the placement, whatever its status (events.recall_extended_format),
    written to the outbox in one statement. The cases are read FOR SHARE: a recall or update of one
    of them in flight commits first (its event before ours, the status we send is the one after it)
    or waits for us."""
    return await write_outbox_select(
        conn, CASE_UPDATED, template,
        "SELECT client_id, id AS case_id, status FROM cases WHERE placement_id = $1 ORDER BY id FOR SHARE",
        placement_id)


async def recall_cases(conn: asyncpg.Connection, case_ids: Sequence[str], reason: str | None,
                       now: datetime) -> list[asyncpg.Record]:
    return await conn.fetch(
        """WITH locked AS (SELECT id FROM cases WHERE id = ANY($1::uuid[]) AND status = 'open'
                           ORDER BY id FOR NO KEY UPDATE)
           UPDATE cases c SET status = 'recalled', status_reason = $2, recalled_at = $3, updated_at = $3
           FROM locked WHERE c.id = locked.id AND c.status = 'open'
           RETURNING c.id::text AS case_id, c.client_id, c.placed_amount, c.repaid_total""",
        list(set(case_ids)), reason, now)
