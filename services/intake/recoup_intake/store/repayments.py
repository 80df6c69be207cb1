"""Repayments (R-5): staged in a temporary table by COPY, then matched set-based — a million
repayments are a few statements, not a million round trips."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from recoup_shared.locks import xact_lock

REPAYMENT_COLUMNS = ("id", "client_id", "txn_ref", "case_id", "amount", "paid_at", "channel",
                     "content_sha256", "case_status", "flag", "event_id")


async def lock_client_repayments(conn: asyncpg.Connection, client_id: str) -> None:
    """Serialises a client's repayment batches: the txn_ref check and the insert see one state."""
    await xact_lock(conn, "intake-client-repayments", client_id)


async def stage(conn: asyncpg.Connection, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """rows: (ordinal, txn_ref, account_hash, content_sha256) into tmp_repayments (dropped at commit)."""
    await conn.execute(
        """CREATE TEMP TABLE tmp_repayments (ordinal integer, txn_ref text, account_hash text,
               content_sha256 text) ON COMMIT DROP""")
    await conn.copy_records_to_table("tmp_repayments", records=rows,
                                     columns=["ordinal", "txn_ref", "account_hash", "content_sha256"])
    await conn.execute("ANALYZE tmp_repayments")


async def already_recorded(conn: asyncpg.Connection, client_id: str) -> dict[int, bool]:
    """ordinal -> True when its txn_ref is recorded with the same content, False when different."""
    rows = await conn.fetch(
        """SELECT t.ordinal, r.content_sha256 = t.content_sha256 AS same
           FROM tmp_repayments t JOIN repayments r ON r.client_id = $1 AND r.txn_ref = t.txn_ref""",
        client_id)
    return {r["ordinal"]: r["same"] for r in rows}


async def resolve_staged_accounts(conn: asyncpg.Connection, client_id: str) -> dict[str, str]:
    """account_hash -> case id (open case first, else the latest placed) for the staged rows."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (c.account_hash) c.account_hash, c.id::text AS case_id
           FROM (SELECT DISTINCT account_hash FROM tmp_repayments) t
           JOIN cases c ON c.client_id = $1 AND c.account_hash = t.account_hash
           ORDER BY c.account_hash, (c.status = 'open') DESC, c.created_at DESC, c.id""", client_id)
    return {r["account_hash"]: r["case_id"] for r in rows}


async def insert(conn: asyncpg.Connection, records: Sequence[tuple]) -> None:
    if records:
        await conn.copy_records_to_table("repayments", columns=list(REPAYMENT_COLUMNS), records=records)
