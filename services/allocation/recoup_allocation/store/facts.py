"""Month facts for rotation (R-12) — repayments from payment.posted, PTPs from contact.logged —
and the scheduled rotation's run register (the SLA report reads: views/reports.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import asyncpg


async def record_payments(conn: asyncpg.Connection, case_ids: Sequence[str], txn_refs: Sequence[str],
                          amounts: Sequence[Decimal], paid_ats: Sequence[datetime], tz: str) -> int:
    """Idempotent on (case_id, txn_ref): a payment re-posted under a new event id is not counted
    twice. New payments add to the month facts (month of paid_at in the debtor's zone)."""
    if not case_ids:
        return 0
    rows = await conn.fetch(
        """WITH ins AS (
               INSERT INTO payments (case_id, txn_ref, amount, paid_at)
               SELECT DISTINCT ON (case_id, txn_ref) case_id, txn_ref, amount, paid_at
               FROM unnest($1::text[], $2::text[], $3::numeric[], $4::timestamptz[])
                    AS t(case_id, txn_ref, amount, paid_at)
               ORDER BY case_id, txn_ref
               ON CONFLICT (case_id, txn_ref) DO NOTHING
               RETURNING case_id, amount, paid_at)
           INSERT INTO case_month_facts AS f (case_id, month, repaid, payments)
           SELECT case_id, date_trunc('month', paid_at AT TIME ZONE $5)::date, sum(amount), count(*)
           FROM ins GROUP BY 1, 2
           ON CONFLICT (case_id, month) DO UPDATE
               SET repaid = f.repaid + EXCLUDED.repaid, payments = f.payments + EXCLUDED.payments
           RETURNING payments""",
        list(case_ids), list(txn_refs), list(amounts), list(paid_ats), tz)
    return len(rows)


async def set_outstanding(conn: asyncpg.Connection, case_ids: Sequence[str],
                          outstanding: Sequence[Decimal]) -> None:
    if case_ids:
        await conn.execute(
            """UPDATE cases c SET outstanding = u.outstanding, updated_at = now()
               FROM unnest($1::text[], $2::numeric[]) AS u(case_id, outstanding)
               WHERE c.case_id = u.case_id""", list(case_ids), list(outstanding))


async def record_contacts(conn: asyncpg.Connection, case_ids: Sequence[str],
                          occurred: Sequence[datetime], ptp_until: Sequence[date | None], tz: str) -> None:
    """Latest PTP due date promised and last contact per case and month. GREATEST is idempotent,
    so a contact re-emitted under a new event id changes nothing."""
    if not case_ids:
        return
    await conn.execute(
        """INSERT INTO case_month_facts AS f (case_id, month, ptp_until, last_contact_at)
           SELECT case_id, date_trunc('month', at AT TIME ZONE $4)::date, max(ptp_until), max(at)
           FROM unnest($1::text[], $2::timestamptz[], $3::date[]) AS t(case_id, at, ptp_until)
           GROUP BY 1, 2
           ON CONFLICT (case_id, month) DO UPDATE
               SET ptp_until = GREATEST(f.ptp_until, EXCLUDED.ptp_until),
                   last_contact_at = GREATEST(f.last_contact_at, EXCLUDED.last_contact_at)""",
        list(case_ids), list(occurred), list(ptp_until), tz)


async def rotation_candidates(conn: asyncpg.Connection, *, month: date, as_of: date,
                              client_id: str | None) -> list[asyncpg.Record]:
    """Assigned cases with what R-12 looks at: repaid during `month`, and whether a PTP is live
    on `as_of` (its due date not yet passed, whenever it was promised)."""
    return await conn.fetch(
        """SELECT c.case_id, c.client_id, c.product, c.placed_amount, c.dpd_bucket, c.region,
                  c.joint_key, c.collector_id, c.team_id, c.previous_collector_id, c.version,
                  c.flags, COALESCE(m.repaid, 0) AS repaid,
                  EXISTS (SELECT 1 FROM case_month_facts p
                          WHERE p.case_id = c.case_id AND p.ptp_until >= $2) AS live_ptp
           FROM cases c
           LEFT JOIN case_month_facts m ON m.case_id = c.case_id AND m.month = $1
           WHERE c.status = 'assigned' AND ($3::text IS NULL OR c.client_id = $3)
           ORDER BY c.case_id""", month, as_of, client_id)


async def assigned_with_joint_keys(conn: asyncpg.Connection, keys: Sequence[str]) -> list[asyncpg.Record]:
    if not keys:
        return []
    return await conn.fetch(
        """SELECT case_id, joint_key, collector_id, allocated_at FROM cases
           WHERE joint_key = ANY($1) AND status = 'assigned' ORDER BY allocated_at, case_id""",
        list(keys))


# --- scheduled rotation register -----------------------------------------------------------------
async def claim_rotation_run(conn: asyncpg.Connection, month: date, client_id: str) -> bool:
    row = await conn.fetchrow(
        """INSERT INTO rotation_runs (month, client_id, status) VALUES ($1, $2, 'running')
           ON CONFLICT (month, client_id) DO NOTHING RETURNING month""", month, client_id)
    return row is not None


async def finish_rotation_run(conn: asyncpg.Connection, month: date, client_id: str, *,
                              plan_id, status: str, detail: str | None = None) -> None:
    await conn.execute(
        """UPDATE rotation_runs SET plan_id = $3, status = $4, detail = $5, ran_at = now()
           WHERE month = $1 AND client_id = $2""", month, client_id, plan_id, status, detail)


async def rotation_clients(conn: asyncpg.Connection, default_enabled: bool) -> list[str]:
    rows = await conn.fetch(
        """SELECT DISTINCT c.client_id FROM cases c LEFT JOIN client_rules r USING (client_id)
           WHERE c.status = 'assigned' AND COALESCE(r.rotation_enabled, $1) ORDER BY 1""",
        default_enabled)
    return [r["client_id"] for r in rows]
