"""Promises (R-23), the case's repayments and what each repayment paid of which promise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from . import Columns

_READ = """promise_id, case_id, client_id, record_id, collector_id, made_on, zone, state, amount,
    instalments, settlement, waiver_authorisation, judge_from, settled_on, created_at"""


async def create(conn: asyncpg.Connection, *, promise_id: UUID, case_id: str, client_id: str,
                 record_id: UUID | None, collector_id: str, made_on: date, zone: str, amount: Decimal,
                 instalments: list[dict[str, Any]], settlement: bool, waiver_authorisation: str | None,
                 judge_from: date | None, now: datetime) -> None:
    await conn.execute(
        """INSERT INTO promises (promise_id, case_id, client_id, record_id, collector_id, made_on, zone,
               state, amount, instalments, settlement, waiver_authorisation, judge_from, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $12, $13, $13)""",
        promise_id, case_id, client_id, record_id, collector_id, made_on, zone, amount, instalments,
        settlement, waiver_authorisation, judge_from, now)


async def of_case(conn: asyncpg.Connection, case_id: str, *, open_only: bool = False) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {_READ} FROM promises WHERE case_id = $1 AND (NOT $2 OR state = 'open')
            ORDER BY made_on, promise_id""", case_id, open_only)


async def get(conn: asyncpg.Connection, promise_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_READ} FROM promises WHERE promise_id = $1", promise_id)


async def save(conn: asyncpg.Connection, rows: Columns, now: datetime) -> None:
    """The rules' evaluation written back: state, instalments, next day to judge, settled day."""
    if rows:
        promise_ids, states, instalments, judge_from, settled_on = rows.args(
            "promise_id", "state", "instalments", "judge_from", "settled_on")
        await conn.execute(
            """UPDATE promises p SET state = u.state, instalments = u.instalments::jsonb, judge_from = u.judge_from,
                   settled_on = u.settled_on, updated_at = $6
               FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[])
                    AS u(promise_id, state, instalments, judge_from, settled_on)
               WHERE p.promise_id = u.promise_id""",
            promise_ids, states, [orjson.dumps(i).decode() for i in instalments], judge_from, settled_on, now)


async def cancel_open(conn: asyncpg.Connection, case_ids: Sequence[str], now: datetime) -> list[asyncpg.Record]:
    """A recalled or closed case: its open promises are cancelled (never judged)."""
    return await conn.fetch(
        """UPDATE promises SET state = 'cancelled', judge_from = NULL, updated_at = $2
           WHERE case_id = ANY($1::text[]) AND state = 'open' RETURNING promise_id, case_id""",
        list(case_ids), now)


async def save_cancelled(conn: asyncpg.Connection, promise_id: UUID, now: datetime) -> None:
    """A correction replaced the record that made this (still open) promise."""
    await conn.execute(
        """UPDATE promises SET state = 'cancelled', judge_from = NULL, updated_at = $2
           WHERE promise_id = $1 AND state = 'open'""", promise_id, now)


async def cases_to_judge(conn: asyncpg.Connection, now: datetime, upto: date, limit: int) -> list[str]:
    """Cases with an open promise whose deadline has passed in the promise's (debtor's) zone,
    claimed so that replicas running the same job take different cases. `upto` (the latest
    calendar day anywhere) lets the index narrow the scan first."""
    rows = await conn.fetch(
        """SELECT DISTINCT case_id FROM (
               SELECT case_id FROM promises WHERE state = 'open' AND judge_from <= $2
                 AND judge_from <= ($1::timestamptz AT TIME ZONE zone)::date
               ORDER BY judge_from LIMIT $3 FOR UPDATE SKIP LOCKED) p""", now, upto, limit)
    return [r["case_id"] for r in rows]


# --- repayments ---------------------------------------------------------------------------------

async def add_repayments(conn: asyncpg.Connection, cols: Columns, *, default_zone: str,
                         now: datetime) -> list[asyncpg.Record]:
    """payment.posted, idempotent on (client, txn_ref); the paid day is the debtor's (case zone);
    the owner at arrival is kept for the collector's recovered amounts. Returns the new ones."""
    if not cols:
        return []
    return await conn.fetch(
        """INSERT INTO repayments (client_id, txn_ref, case_id, amount, unallocated, paid_at, paid_on, channel,
               owner_id, team_id, event_id, recorded_at)
           SELECT u.client_id, u.txn_ref, u.case_id, u.amount, u.amount, u.paid_at,
                  (u.paid_at AT TIME ZONE coalesce(c.zone, $8))::date, u.channel, c.owner_id, c.team_id,
                  u.event_id, $9
           FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[], $6::text[],
                       $7::uuid[]) AS u(client_id, txn_ref, case_id, amount, paid_at, channel, event_id)
           LEFT JOIN cases c ON c.case_id = u.case_id
           ON CONFLICT (client_id, txn_ref) DO NOTHING
           RETURNING client_id, txn_ref, case_id, amount, paid_at, paid_on""",
        *cols.args("client_id", "txn_ref", "case_id", "amount", "paid_at", "channel", "event_id"), default_zone, now)


async def unallocated(conn: asyncpg.Connection, case_id: str, since: date) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT client_id, txn_ref, paid_on, unallocated FROM repayments
           WHERE case_id = $1 AND paid_on >= $2 AND unallocated > 0 ORDER BY paid_on, txn_ref""", case_id, since)


async def allocate(conn: asyncpg.Connection, client_id: str, allocations: Sequence[tuple[UUID, int, str, Decimal]]) -> None:
    """What a repayment paid of which instalment; the repayment's unallocated part shrinks."""
    if not allocations:
        return
    promise_ids, seqs, refs, amounts = (list(x) for x in zip(*allocations))
    await conn.execute(
        """INSERT INTO promise_allocations (promise_id, seq, client_id, txn_ref, amount)
           SELECT u.p, u.s, $5, u.r, u.a FROM unnest($1::uuid[], $2::int[], $3::text[], $4::numeric[]) AS u(p, s, r, a)
           ON CONFLICT (promise_id, seq, client_id, txn_ref) DO UPDATE
               SET amount = promise_allocations.amount + EXCLUDED.amount""",
        promise_ids, seqs, refs, amounts, client_id)
    await conn.execute(
        """UPDATE repayments r SET unallocated = r.unallocated - t.total
           FROM (SELECT ref, sum(a) AS total FROM unnest($1::text[], $2::numeric[]) AS u(ref, a) GROUP BY ref) t
           WHERE r.client_id = $3 AND r.txn_ref = t.ref""", refs, amounts, client_id)


async def recovered_by_month(conn: asyncpg.Connection, owner_id: str, since: date) -> list[asyncpg.Record]:
    """Home page (seeds 4.4.2): recovered amounts per month of the cases a collector owned when paid."""
    return await conn.fetch(
        """SELECT date_trunc('month', paid_on)::date AS month, sum(amount) AS amount, count(*) AS repayments
           FROM repayments WHERE owner_id = $1 AND paid_on >= $2 GROUP BY 1 ORDER BY 1""", owner_id, since)


async def of_case_repayments(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT txn_ref, amount, paid_at, paid_on, channel FROM repayments WHERE case_id = $1
           ORDER BY paid_at DESC""", case_id)
