"""Plans (previews, automatic runs) and their commit: the set-based write path.

A commit of 100,000 cases is: one UPDATE cases ... FROM plan_items returning the moved cases (the
optimistic check is in its WHERE: the case's version must still be the one previewed), one UPDATE
closing the previous ownership intervals, one INSERT ... SELECT of the new intervals (while the
events are serialised in a worker thread), and the outbox rows by COPY.
Every allocation writer (commit, manual, auto-allocation) holds one transaction-level advisory
lock, so concurrent commits on several replicas serialise and capacity re-checks stay true.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from recoup_shared.locks import try_xact_lock, xact_lock

ALLOCATION_LOCK = ("allocation", "writers")  # one lock for every allocation writer, all replicas

PLAN_COLUMNS = ("plan_id, kind, strategy, client_id, month, filters, forced, created_by, created_at, "
                "expires_at, status, committed_by, committed_at, items, summary, team_id")

# Item = (case_id, collector_id, team_id, previous_collector_id, case_version)
Item = tuple[str, str, str | None, str | None, int]


async def lock_allocation(conn: asyncpg.Connection, *, wait: bool = True) -> bool:
    """The allocation lock until the transaction ends; `wait=False`: False when another writer
    (a commit, or auto-allocation on another replica) holds it."""
    if wait:
        await xact_lock(conn, *ALLOCATION_LOCK)
        return True
    return await try_xact_lock(conn, *ALLOCATION_LOCK)


async def insert_plan(conn: asyncpg.Connection, *, plan_id: uuid.UUID, kind: str, strategy: str,
                      client_id: str | None, month: date | None, filters: dict[str, Any],
                      forced: bool, created_by: str, created_at: datetime, expires_at: datetime,
                      summary: dict[str, Any], items: Sequence[Item], team_id: str | None) -> None:
    """`team_id`: the one team every collector of the plan belongs to (None: several or none)."""
    await conn.execute(
        f"""INSERT INTO plans ({PLAN_COLUMNS})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'previewed', NULL, NULL, $11, $12, $13)""",
        plan_id, kind, strategy, client_id, month, filters, forced, created_by, created_at,
        expires_at, len(items), summary, team_id)
    if not items:
        return
    records = [(plan_id, *item) for item in items]
    if len(records) < 50:
        await conn.executemany(
            """INSERT INTO plan_items (plan_id, case_id, collector_id, team_id, previous_collector_id,
                                       case_version) VALUES ($1, $2, $3, $4, $5, $6)""", records)
    else:
        await conn.copy_records_to_table(
            "plan_items", records=records,
            columns=["plan_id", "case_id", "collector_id", "team_id", "previous_collector_id",
                     "case_version"])


async def get_plan(conn: asyncpg.Connection, plan_id: uuid.UUID, *,
                   for_update: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {PLAN_COLUMNS} FROM plans WHERE plan_id = $1" + (" FOR UPDATE" if for_update else ""),
        plan_id)


async def plan_collectors_in_teams(conn: asyncpg.Connection, plan_id: uuid.UUID,
                                   team_id: str) -> bool:
    """Does every collector receiving cases in the plan belong to `team_id`?"""
    return not await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM plan_items i LEFT JOIN collectors c USING (collector_id)
                          WHERE i.plan_id = $1 AND c.team_id IS DISTINCT FROM $2)""", plan_id, team_id)


# A receiving collector is checked when the move can refuse them: unknown, inactive or capped.
# Their book is counted per collector (one scan of their cases_collector range, LATERAL), never
# by a join whose plan hangs on an estimate of how many collectors receive.
_CHECKED_RECEIVERS = """
    SELECT r.collector_id, r.n, r.amount, (col.collector_id IS NOT NULL) AS known,
           COALESCE(col.active, false) AS active, col.max_open_cases, col.max_open_amount
    FROM receivers r LEFT JOIN collectors col ON col.collector_id = r.collector_id
    WHERE col.collector_id IS NULL OR NOT col.active
       OR col.max_open_cases IS NOT NULL OR col.max_open_amount IS NOT NULL"""
_OVER_CAPACITY = f"""
    SELECT c.collector_id, c.known, c.active, c.max_open_cases, c.max_open_amount,
           h.n + c.n AS cases_after, COALESCE(h.amount, 0) + c.amount AS amount_after
    FROM ({_CHECKED_RECEIVERS}) c
    CROSS JOIN LATERAL (SELECT count(*) AS n, sum(k.placed_amount) AS amount FROM cases k
                        WHERE k.collector_id = c.collector_id AND k.status = 'assigned') h
    WHERE NOT c.known OR NOT c.active
       OR (c.max_open_cases IS NOT NULL AND h.n + c.n > c.max_open_cases)
       OR (c.max_open_amount IS NOT NULL AND COALESCE(h.amount, 0) + c.amount > c.max_open_amount)
    ORDER BY c.collector_id"""


async def capacity_violations(conn: asyncpg.Connection, plan_id: uuid.UUID) -> list[asyncpg.Record]:
    """Collectors the plan would now take over capacity, or who left / were deactivated since the
    preview (other commits may have filled them in between). Open book after = open now − cases
    the plan takes away + cases it gives.

    One pass over the plan's items: each item adds its case to the receiving collector and takes
    it from the case's current owner (a case planned back to its owner nets to zero)."""
    return await conn.fetch(
        f"""WITH moves AS (SELECT i.collector_id AS receiver, c.collector_id AS owner, c.placed_amount AS amount
                           FROM plan_items i JOIN cases c USING (case_id) WHERE i.plan_id = $1),
                 delta AS (SELECT d.collector_id, sum(d.gains) AS gains, sum(d.n) AS n, sum(d.amount) AS amount
                           FROM moves m CROSS JOIN LATERAL (VALUES (m.receiver, 1, 1, m.amount),
                                                                   (m.owner, 0, -1, -m.amount))
                                                          AS d(collector_id, gains, n, amount)
                           WHERE d.collector_id IS NOT NULL GROUP BY d.collector_id),
                 receivers AS (SELECT collector_id, n, amount FROM delta WHERE gains > 0)
            {_OVER_CAPACITY}""", plan_id)


async def capacity_after_move(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """`capacity_violations` once apply_plan moved every case of the plan: the receiving
    collectors' books as they now are (same columns)."""
    return await conn.fetch(
        f"""WITH receivers AS (SELECT DISTINCT collector_id, 0 AS n, 0 AS amount FROM alloc_moved)
            {_OVER_CAPACITY}""")


async def apply_plan(conn: asyncpg.Connection, plan_id: uuid.UUID, *, fixed_reason: str | None,
                     now: datetime, first_contact_due: date) -> list[asyncpg.Record]:
    """Move every case of the plan whose version is still the previewed one and end the moved
    cases' current ownership intervals; returns the moved cases (case_id,
    client_id, collector_id, team_id, previous_collector_id, reason, received_at,
    first_allocation — in that order) and keeps them in `alloc_moved` for `open_intervals` and
    `unmoved_items`. The caller decides whether a shortfall is a conflict (commit) or a skip
    (auto-allocation). `fixed_reason` None: "allocation", or "reassignment" for a case that had
    an owner."""
    await conn.execute(
        """CREATE TEMP TABLE IF NOT EXISTS alloc_moved (
               case_id text, collector_id text, team_id text, reason text) ON COMMIT DROP""")
    await conn.execute("TRUNCATE alloc_moved")
    moved = await conn.fetch(
        """WITH upd AS (
               UPDATE cases c SET status = 'assigned', collector_id = i.collector_id,
                   team_id = i.team_id,
                   previous_collector_id = CASE WHEN c.collector_id IS NOT NULL
                                                 AND c.collector_id <> i.collector_id
                                                THEN c.collector_id ELSE c.previous_collector_id END,
                   allocated_at = $2, first_allocated_at = COALESCE(c.first_allocated_at, $2),
                   first_contact_due = $3, auto_retry_at = NULL, version = c.version + 1,
                   updated_at = $2
               FROM plan_items i
               WHERE i.plan_id = $1 AND c.case_id = i.case_id AND c.version = i.case_version
                 AND c.status IN ('unassigned', 'assigned')
               RETURNING c.case_id, c.client_id, i.collector_id, i.team_id, c.previous_collector_id,
                         COALESCE($4::text, CASE WHEN i.previous_collector_id IS NULL THEN 'allocation'
                                                 ELSE 'reassignment' END) AS reason,
                         c.received_at, (c.first_allocated_at = $2) AS first_allocation),
           kept AS (
               INSERT INTO alloc_moved SELECT case_id, collector_id, team_id, reason FROM upd)
           SELECT case_id, client_id, collector_id, team_id, previous_collector_id, reason,
                  received_at, first_allocation FROM upd""",
        plan_id, now, first_contact_due, fixed_reason)
    # Not a CTE of the statement above: joined to a CTE the planner would take the moved cases
    # for one row (plan_items' estimate) and could scan every current interval per moved case.
    await conn.execute(
        """UPDATE ownership o SET valid_to = GREATEST(o.valid_from, $1), end_reason = m.reason
           FROM alloc_moved m WHERE o.case_id = m.case_id AND o.valid_to IS NULL""", now)
    return moved


async def open_intervals(conn: asyncpg.Connection, plan_id: uuid.UUID, *, strategy: str,
                         now: datetime) -> None:
    """After apply_plan (which ended the previous intervals): the new owners' intervals."""
    await conn.execute(
        """INSERT INTO ownership (case_id, collector_id, team_id, strategy, reason, plan_id, valid_from)
           SELECT case_id, collector_id, team_id, $1, reason, $2, $3 FROM alloc_moved""",
        strategy, plan_id, now)


async def unmoved_items(conn: asyncpg.Connection, plan_id: uuid.UUID, limit: int = 100) -> list[asyncpg.Record]:
    """After apply_plan: the items whose case changed since the preview (for the 409 body)."""
    return await conn.fetch(
        """SELECT i.case_id, c.status, c.collector_id, i.previous_collector_id AS previewed_owner,
                  (c.case_id IS NULL) AS missing
           FROM plan_items i LEFT JOIN cases c USING (case_id)
           WHERE i.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM alloc_moved m WHERE m.case_id = i.case_id)
           ORDER BY i.case_id LIMIT $2""", plan_id, limit)


async def mark_committed(conn: asyncpg.Connection, plan_id: uuid.UUID, *, by: str, at: datetime,
                         committed: int) -> None:
    await conn.execute(
        """UPDATE plans SET status = 'committed', committed_by = $2, committed_at = $3,
               summary = summary || jsonb_build_object('committed', $4::int)
           WHERE plan_id = $1""", plan_id, by, at, committed)


async def supersede_overlapping(conn: asyncpg.Connection, plan_id: uuid.UUID) -> int:
    """Other previews that share cases with a committed plan can no longer be committed."""
    status = await conn.execute(
        """UPDATE plans p SET status = 'superseded'
           WHERE p.status = 'previewed' AND p.plan_id <> $1
             AND EXISTS (SELECT 1 FROM plan_items a JOIN plan_items b
                           ON b.plan_id = $1 AND b.case_id = a.case_id
                         WHERE a.plan_id = p.plan_id)""", plan_id)
    return int(status.split()[-1])


async def expire_plans(conn: asyncpg.Connection, now: datetime, retention_days: int) -> tuple[int, int]:
    """Previews past their time become `expired`; items of old uncommitted plans are purged
    (committed ones stay: they are the record of what was done)."""
    expired = await conn.execute(
        "UPDATE plans SET status = 'expired' WHERE status = 'previewed' AND expires_at < $1", now)
    purged = await conn.execute(
        """DELETE FROM plan_items i USING plans p
           WHERE i.plan_id = p.plan_id AND p.status IN ('expired', 'superseded')
             AND p.created_at < $1::timestamptz - make_interval(days => $2)""", now, retention_days)
    return int(expired.split()[-1]), int(purged.split()[-1])


async def set_auto_retry(conn: asyncpg.Connection, case_ids: Sequence[str], at: datetime) -> None:
    if case_ids:
        await conn.execute(
            "UPDATE cases SET auto_retry_at = $2 WHERE case_id = ANY($1) AND status = 'unassigned'",
            list(case_ids), at)
