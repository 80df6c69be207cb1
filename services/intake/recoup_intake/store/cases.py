"""Cases after import: resolving a client's account references, locking, status and amount
changes, added phones/addresses (the personal-data blob rewritten), and the staff reads (search,
one case, joint-debt links)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg


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
                  fees, placed_amount, repaid_total, flags, remarks, warnings
           FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE""",
        list(set(case_ids)))
    return {r["case_id"]: r for r in rows}


async def apply_case_changes(conn: asyncpg.Connection, changes: Sequence[dict[str, Any]]) -> None:
    """Set-based UPDATE of amounts / repaid total / status / flags / remarks for many cases (one
    statement whatever the count). Each change dict carries every column: the caller merged the
    old and new values. Flags and warnings are vocabulary codes (no commas): they travel joined."""
    if not changes:
        return
    await conn.execute(
        """UPDATE cases c SET
               principal = u.principal, interest = u.interest, fees = u.fees,
               placed_amount = u.placed_amount, repaid_total = u.repaid_total,
               status_reason = CASE WHEN u.status <> c.status THEN u.status_reason ELSE c.status_reason END,
               closed_at = CASE WHEN u.status = 'closed' AND c.status <> 'closed' THEN now() ELSE c.closed_at END,
               recalled_at = CASE WHEN u.status = 'recalled' AND c.status <> 'recalled' THEN now() ELSE c.recalled_at END,
               status = u.status,
               flags = COALESCE(string_to_array(NULLIF(u.flags, ''), ','), '{}'),
               remarks = u.remarks,
               warnings = COALESCE(string_to_array(NULLIF(u.warnings, ''), ','), '{}'),
               updated_at = now()
           FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[],
                       $6::numeric[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                AS u(id, principal, interest, fees, placed_amount, repaid_total, status, status_reason,
                     flags, remarks, warnings)
           WHERE c.id = u.id""",
        [c["case_id"] for c in changes], [c["principal"] for c in changes],
        [c["interest"] for c in changes], [c["fees"] for c in changes],
        [c["placed_amount"] for c in changes], [c["repaid_total"] for c in changes],
        [c["status"] for c in changes], [c.get("status_reason") for c in changes],
        [",".join(c["flags"]) for c in changes], [c.get("remarks") for c in changes],
        [",".join(c.get("warnings") or []) for c in changes])


async def personal_data(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, bytes]:
    """case_id -> its encrypted personal-data blob (the caller holds the row locks)."""
    if not case_ids:
        return {}
    rows = await conn.fetch(
        "SELECT id::text AS case_id, personal_enc FROM cases WHERE id = ANY($1::uuid[])", list(case_ids))
    return {r["case_id"]: r["personal_enc"] for r in rows}


async def store_personal_data(conn: asyncpg.Connection, blobs: Sequence[tuple[str, bytes]],
                              phones: Sequence[tuple[str, str]]) -> None:
    """Rewrite the blobs (case_id, personal_enc) of cases whose contacts grew, and add the new
    phones to the lookup (number_hash, case_id): one statement each."""
    if blobs:
        await conn.execute(
            """UPDATE cases c SET personal_enc = u.personal_enc, updated_at = now()
               FROM unnest($1::uuid[], $2::bytea[]) AS u(id, personal_enc) WHERE c.id = u.id""",
            [b[0] for b in blobs], [b[1] for b in blobs])
    if phones:
        await conn.copy_records_to_table("phone_lookup", columns=["number_hash", "case_id"], records=phones)


async def transaction_time(conn: asyncpg.Connection):
    return await conn.fetchval("SELECT now()")


async def recall_placement_cases(conn: asyncpg.Connection, placement_id: Any, reason: str | None) -> list[asyncpg.Record]:
    """R-5 退案 of a whole placement: every still-open case, one statement."""
    return await conn.fetch(
        """WITH locked AS (SELECT id FROM cases WHERE placement_id = $1 AND status = 'open'
                           ORDER BY id FOR NO KEY UPDATE)
           UPDATE cases c SET status = 'recalled', status_reason = $2, recalled_at = now(), updated_at = now()
           FROM locked WHERE c.id = locked.id AND c.status = 'open'
           RETURNING c.id::text AS case_id, c.client_id, c.placed_amount, c.repaid_total""",
        placement_id, reason)


async def recall_cases(conn: asyncpg.Connection, case_ids: Sequence[str], reason: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(
        """WITH locked AS (SELECT id FROM cases WHERE id = ANY($1::uuid[]) AND status = 'open'
                           ORDER BY id FOR NO KEY UPDATE)
           UPDATE cases c SET status = 'recalled', status_reason = $2, recalled_at = now(), updated_at = now()
           FROM locked WHERE c.id = locked.id AND c.status = 'open'
           RETURNING c.id::text AS case_id, c.client_id, c.placed_amount, c.repaid_total""",
        list(set(case_ids)), reason)


# --- staff reads --------------------------------------------------------------------------------

CASE_SUMMARY = """c.id::text AS case_id, c.client_id, p.placement_ref, c.row_index, c.product,
    c.account_masked, c.debtor_name, c.id_masked, c.gender, c.currency, c.placed_amount,
    c.repaid_total, c.dpd, c.dpd_bucket, c.status, c.flags, c.created_at, c.updated_at"""


async def search_cases(conn: asyncpg.Connection, *, client_id: str | None, placement_ref: str | None,
                       status: str | None, account_hash: str | None, id_hash: str | None,
                       phone_hash: str | None, after: str | None,
                       limit: int) -> list[asyncpg.Record]:
    """Exact-match lookups by blind index (R-25) and filters; keyset pagination on the id (ids
    are time-ordered, so this is placement order)."""
    where, args = [], []

    def arg(v: Any) -> str:
        args.append(v)
        return f"${len(args)}"

    if client_id:
        where.append(f"c.client_id = {arg(client_id)}")
    if placement_ref:
        where.append(f"p.placement_ref = {arg(placement_ref)}")
    if status:
        where.append(f"c.status = {arg(status)}")
    if account_hash:
        where.append(f"c.account_hash = {arg(account_hash)}")
    if id_hash:
        where.append(f"c.id_hash = {arg(id_hash)}")
    if phone_hash:
        where.append(f"c.id IN (SELECT case_id FROM phone_lookup WHERE number_hash = {arg(phone_hash)})")
    if after:
        where.append(f"c.id > {arg(after)}::uuid")
    sql = (f"SELECT {CASE_SUMMARY} FROM cases c JOIN placements p ON p.id = c.placement_id "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} "
           f"ORDER BY c.id LIMIT {arg(limit)}")
    return await conn.fetch(sql, *args)


async def get_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT c.*, c.id::text AS case_id, p.placement_ref, p.placed_on, p.recall_on
           FROM cases c JOIN placements p ON p.id = c.placement_id WHERE c.id = $1::uuid""", case_id)


async def case_repayments(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT txn_ref, amount, paid_at, channel, flag, recorded_at FROM repayments
           WHERE case_id = $1::uuid ORDER BY paid_at, recorded_at""", case_id)


async def joint_links(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    """R-7, read live: the other cases of the same debtor (ID-number blind index), any client —
    the open ones, and those linked on import even if since recalled or closed. Live, so a
    debtor placed by two clients at the same moment is still seen from both sides."""
    return await conn.fetch(
        """SELECT o.id::text AS case_id, o.client_id, p.placement_ref, o.account_masked, o.debtor_name,
                  o.placed_amount, o.repaid_total, o.status, l.linked_at
           FROM cases c
           JOIN cases o ON o.id_hash = c.id_hash AND o.id <> c.id
           JOIN placements p ON p.id = o.placement_id
           LEFT JOIN joint_debt_links l ON l.case_id = c.id AND l.linked_case_id = o.id
           WHERE c.id = $1::uuid AND (o.status = 'open' OR l.linked_at IS NOT NULL)
           ORDER BY o.id
           LIMIT 500""", case_id)
