"""Issued statements: written once per revision, never updated (a trigger enforces it) except
that a re-issue marks the previous revision superseded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg

from recoup_shared.locks import xact_lock


async def lock_month(conn: asyncpg.Connection, client_id: str, month: date) -> None:
    """Serialises issuing one client's month until the transaction ends."""
    await xact_lock(conn, "billing-statement", client_id, month.isoformat())


async def get_issued(conn: asyncpg.Connection, client_id: str, month: date,
                     revision: int | None = None) -> asyncpg.Record | None:
    """The current issued revision, or the given revision (issued or superseded)."""
    if revision is None:
        return await conn.fetchrow(
            "SELECT * FROM billing_statements WHERE client_id = $1 AND month = $2 AND status = 'issued'",
            client_id, month)
    return await conn.fetchrow(
        "SELECT * FROM billing_statements WHERE client_id = $1 AND month = $2 AND revision = $3",
        client_id, month, revision)


async def latest_revision(conn: asyncpg.Connection, client_id: str, month: date) -> int | None:
    return await conn.fetchval(
        "SELECT max(revision) FROM billing_statements WHERE client_id = $1 AND month = $2",
        client_id, month)


async def lines(conn: asyncpg.Connection, statement_id: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM billing_statement_lines WHERE statement_id = $1 ORDER BY position", statement_id)


async def issued_history(conn: asyncpg.Connection, client_id: str,
                         months: Sequence[date]) -> dict[date, tuple[asyncpg.Record, list[asyncpg.Record]]]:
    """Current issued revision and its lines for each of ``months`` that has one (R-41 history)."""
    heads = await conn.fetch(
        """SELECT * FROM billing_statements
           WHERE client_id = $1 AND month = ANY($2::date[]) AND status = 'issued'""",
        client_id, list(months))
    if not heads:
        return {}
    all_lines = await conn.fetch(
        "SELECT * FROM billing_statement_lines WHERE statement_id = ANY($1::bigint[]) ORDER BY position",
        [h["id"] for h in heads])
    by_id: dict[int, list[asyncpg.Record]] = {}
    for ln in all_lines:
        by_id.setdefault(ln["statement_id"], []).append(ln)
    return {h["month"]: (h, by_id.get(h["id"], [])) for h in heads}


async def supersede(conn: asyncpg.Connection, statement_id: int) -> None:
    await conn.execute(
        "UPDATE billing_statements SET status = 'superseded', superseded_at = now() WHERE id = $1",
        statement_id)


_HEAD_COLUMNS = (
    "client_id", "month", "revision", "status", "schedule_version", "schedule_source", "schedule",
    "window_start", "window_end", "total_placed_before_exclusions", "total_excluded_placed",
    "total_placed", "total_recovered", "total_recovered_in_cycle", "total_recovery_rate",
    "total_fee", "inputs", "computed_at", "issued_by", "reason",
)

_LINE_COLUMNS = (
    "position", "bucket", "dpd_min", "dpd_max", "cases", "repayments", "placed_before_exclusions",
    "excluded_placed", "placed", "recovered", "recovered_in_cycle", "recovery_rate",
    "benchmark_rate", "minimum_rate", "base_rate", "tier", "fee_rate", "fee",
    "months_below_minimum_before", "months_below_minimum", "rate_formula", "explanation",
)

_LINE_TYPES = (
    "int", "text", "int", "int", "int", "int", "numeric", "numeric", "numeric", "numeric", "numeric",
    "numeric", "numeric", "numeric", "numeric", "text", "numeric", "numeric", "int", "int", "text",
    "text",
)


async def insert_statement(conn: asyncpg.Connection, head: dict[str, Any],
                           line_rows: Sequence[dict[str, Any]]) -> asyncpg.Record:
    cols = ", ".join(_HEAD_COLUMNS)
    params = ", ".join(f"${i + 1}" for i in range(len(_HEAD_COLUMNS)))
    row = await conn.fetchrow(
        f"INSERT INTO billing_statements ({cols}) VALUES ({params}) RETURNING *",
        *(head[c] for c in _HEAD_COLUMNS))
    arrays = [[ln[c] for ln in line_rows] for c in _LINE_COLUMNS]
    unnest = ", ".join(f"${i + 2}::{t}[]" for i, t in enumerate(_LINE_TYPES))
    await conn.execute(
        f"""INSERT INTO billing_statement_lines (statement_id, {", ".join(_LINE_COLUMNS)})
            SELECT $1, * FROM unnest({unnest})""", row["id"], *arrays)
    return row
