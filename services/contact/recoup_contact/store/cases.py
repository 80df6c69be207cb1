"""The cases table: built from intake's and allocation's events, updated by every record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from . import Columns

_UPSERT_RECEIVED = """
INSERT INTO cases AS c (case_id, client_id, placement_id, placement_ref, product, account_masked,
    account_hash, debtor_name, id_masked, id_hash, gender, currency, placed_amount, outstanding,
    dpd, dpd_bucket, placed_on, recall_on, flags, region, zone, employer, remarks, joint_case_ids,
    status, source_occurred_at, received_at, updated_at)
SELECT u.case_id, u.client_id, u.placement_id, u.placement_ref, u.product, u.account_masked,
    u.account_hash, u.debtor_name, u.id_masked, u.id_hash, u.gender, u.currency, u.placed_amount,
    GREATEST(u.placed_amount - coalesce((SELECT sum(r.amount) FROM repayments r WHERE r.case_id = u.case_id), 0), 0),
    u.dpd, u.dpd_bucket, u.placed_on, u.recall_on,
    string_to_array(u.flags, ','), u.region, u.zone, u.employer, u.remarks,
    string_to_array(u.joint, ','), u.status, u.occurred_at, $26, $26
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::numeric[], $14::int[],
            $15::text[], $16::date[], $17::date[], $18::text[], $19::text[], $20::text[], $21::text[],
            $22::text[], $23::text[], $24::text[], $25::timestamptz[])
     AS u(case_id, client_id, placement_id, placement_ref, product, account_masked, account_hash,
          debtor_name, id_masked, id_hash, gender, currency, placed_amount, dpd, dpd_bucket, placed_on,
          recall_on, flags, region, zone, employer, remarks, joint, status, occurred_at)
ON CONFLICT (case_id) DO UPDATE SET
    client_id = EXCLUDED.client_id, placement_id = EXCLUDED.placement_id,
    placement_ref = EXCLUDED.placement_ref, product = EXCLUDED.product,
    account_masked = EXCLUDED.account_masked, account_hash = EXCLUDED.account_hash,
    debtor_name = EXCLUDED.debtor_name, id_masked = EXCLUDED.id_masked, id_hash = EXCLUDED.id_hash,
    gender = EXCLUDED.gender, currency = EXCLUDED.currency, placed_amount = EXCLUDED.placed_amount,
    outstanding = GREATEST(EXCLUDED.placed_amount - c.repaid_total, 0), dpd = EXCLUDED.dpd,
    dpd_bucket = EXCLUDED.dpd_bucket, placed_on = EXCLUDED.placed_on, recall_on = EXCLUDED.recall_on,
    flags = EXCLUDED.flags, region = EXCLUDED.region, zone = EXCLUDED.zone,
    employer = EXCLUDED.employer, remarks = EXCLUDED.remarks,
    joint_case_ids = EXCLUDED.joint_case_ids, status = EXCLUDED.status, withdrawn = false,
    source_occurred_at = EXCLUDED.source_occurred_at, updated_at = EXCLUDED.updated_at
WHERE c.source_occurred_at IS NULL OR c.source_occurred_at <= EXCLUDED.source_occurred_at
"""

RECEIVED_COLUMNS = ("case_id", "client_id", "placement_id", "placement_ref", "product", "account_masked",
                    "account_hash", "debtor_name", "id_masked", "id_hash", "gender", "currency",
                    "placed_amount", "dpd", "dpd_bucket", "placed_on", "recall_on", "flags", "region",
                    "zone", "employer", "remarks", "joint", "status", "occurred_at")


async def upsert_received(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """case.received (R-1, R-7): new cases, or a re-placement of a known one (newest event wins)."""
    if cols:
        await conn.execute(_UPSERT_RECEIVED, *cols.args(*RECEIVED_COLUMNS), now)


CASE_COLUMNS = """case_id, client_id, placement_id, placement_ref, product, account_masked, debtor_name,
    id_masked, id_hash, gender, currency, placed_amount, outstanding, repaid_total, dpd, dpd_bucket,
    placed_on, recall_on, flags, region, zone, employer, remarks, joint_case_ids, status, paused,
    withdrawn, owner_id, team_id, allocated_at, allocated_on, first_contact_due, contact_status,
    next_follow_up, follow_up_earliest, follow_up_latest, follow_up_window, follow_up_avoid,
    cadence_due, cadence_rule, last_contact_at, last_effective_on, last_follow_up_on,
    undialled_since, ptp_due_on, ptp_amount, seen_at, last_repayment_at, last_balance_update_at,
    last_visit_outcome_at, last_letter_returned_at, in_worklist, received_at, updated_at"""


async def get(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {CASE_COLUMNS} FROM cases WHERE case_id = $1", case_id)


async def get_many(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {CASE_COLUMNS} FROM cases WHERE case_id = ANY($1::text[])",
                            list(case_ids))


# Columns a use case may set on a case after a record, an outcome or an event.
_SETTABLE = frozenset({
    "contact_status", "next_follow_up", "follow_up_earliest", "follow_up_latest", "follow_up_window",
    "follow_up_avoid", "cadence_due", "cadence_rule", "last_contact_at", "last_effective_on",
    "last_follow_up_on", "undialled_since", "ptp_due_on", "ptp_amount", "seen_at", "employer",
    "last_visit_outcome_at", "last_letter_returned_at", "withdrawn", "zone",
})


async def update(conn: asyncpg.Connection, case_id: str, values: Mapping[str, Any], now: datetime) -> None:
    """Set the given columns (a whitelist) of one case."""
    unknown = set(values) - _SETTABLE
    if unknown:
        raise ValueError(f"not settable here: {sorted(unknown)}")
    names = list(values)
    sets = ", ".join(f"{n} = ${i + 2}" for i, n in enumerate(names))
    await conn.execute(f"UPDATE cases SET {sets}, updated_at = ${len(names) + 2} WHERE case_id = $1",
                       case_id, *[values[n] for n in names], now)


_PLAN_UPDATE = """
UPDATE cases c SET next_follow_up = u.next_follow_up, follow_up_earliest = u.earliest,
    follow_up_latest = u.latest, cadence_due = u.cadence_due, cadence_rule = u.cadence_rule,
    undialled_since = u.undialled_since, updated_at = $8
FROM unnest($1::text[], $2::date[], $3::date[], $4::date[], $5::date[], $6::text[], $7::date[])
     AS u(case_id, next_follow_up, earliest, latest, cadence_due, cadence_rule, undialled_since)
WHERE c.case_id = u.case_id
"""


async def update_plans(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """Follow-up and cadence of many cases at once (handlers recompute them in a batch)."""
    if cols:
        await conn.execute(_PLAN_UPDATE, *cols.args("case_id", "next_follow_up", "earliest", "latest",
                                                    "cadence_due", "cadence_rule", "undialled_since"), now)


# An upsert: case.allocated may be consumed before case.received (two topics, no order between
# them); the stub is completed when case.received arrives. A case without a follow-up yet gets its
# allocation day (new cases first, R-20) in the same statement (cases_one_follow_up).
_ALLOCATE = """
INSERT INTO cases AS c (case_id, client_id, owner_id, team_id, allocated_at, allocated_on, first_contact_due,
    next_follow_up, follow_up_earliest, follow_up_latest, received_at, updated_at)
SELECT DISTINCT ON (u.case_id) u.case_id, u.client_id, u.owner_id, u.team_id, u.at, u.on_day, u.due,
    u.on_day, u.on_day, u.on_day, $8, $8
FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::date[], $6::date[], $7::text[])
     AS u(case_id, owner_id, team_id, at, due, on_day, client_id)
ORDER BY u.case_id, u.at DESC
ON CONFLICT (case_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, team_id = EXCLUDED.team_id,
    allocated_at = EXCLUDED.allocated_at, allocated_on = EXCLUDED.allocated_on,
    first_contact_due = EXCLUDED.first_contact_due, seen_at = NULL, updated_at = EXCLUDED.updated_at,
    next_follow_up = CASE WHEN c.next_follow_up IS NULL AND c.contact_status IS DISTINCT FROM 'DISPUTE'
                          THEN EXCLUDED.allocated_on ELSE c.next_follow_up END,
    follow_up_earliest = coalesce(c.follow_up_earliest, EXCLUDED.allocated_on),
    follow_up_latest = coalesce(c.follow_up_latest, EXCLUDED.allocated_on)
WHERE c.allocated_at IS NULL OR c.allocated_at <= EXCLUDED.allocated_at
RETURNING c.case_id
"""


async def allocate(conn: asyncpg.Connection, cols: Columns, now: datetime) -> list[str]:
    """case.allocated: the owner and team (an older allocation never overwrites a newer one)."""
    if not cols:
        return []
    rows = await conn.fetch(_ALLOCATE, *cols.args("case_id", "owner_id", "team_id", "at", "due", "on_day",
                                                  "client_id"), now)
    return [r["case_id"] for r in rows]


async def set_paused(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """R-13 case.paused / case.resumed: a paused case leaves every worklist; a resumed one gets its
    restored owner (none: back to allocation's pool, still out of the worklists). An upsert, like
    the allocation: the pause may be consumed before case.received."""
    if cols:
        await conn.execute(
            """INSERT INTO cases AS c (case_id, client_id, paused, owner_id, team_id, next_follow_up,
                   received_at, updated_at)
               SELECT u.case_id, u.client_id, u.paused, CASE WHEN u.paused THEN NULL ELSE u.owner_id END,
                      u.team_id, u.today, $7, $7
               FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::date[])
                    AS u(case_id, client_id, paused, owner_id, team_id, today)
               ON CONFLICT (case_id) DO UPDATE SET paused = EXCLUDED.paused,
                   owner_id = CASE WHEN EXCLUDED.paused THEN c.owner_id ELSE EXCLUDED.owner_id END,
                   team_id = CASE WHEN EXCLUDED.paused THEN c.team_id ELSE coalesce(EXCLUDED.team_id, c.team_id) END,
                   next_follow_up = CASE WHEN c.next_follow_up IS NULL AND c.contact_status IS DISTINCT FROM 'DISPUTE'
                                         THEN EXCLUDED.next_follow_up ELSE c.next_follow_up END,
                   updated_at = EXCLUDED.updated_at""",
            *cols.args("case_id", "client_id", "paused", "owner_id", "team_id", "today"), now)


async def apply_balance(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """case.updated (balance): the new placed amount / outstanding (R-5 更新息费)."""
    if cols:
        await conn.execute(
            """UPDATE cases c SET placed_amount = coalesce(u.placed, c.placed_amount),
                   outstanding = coalesce(u.outstanding, GREATEST(coalesce(u.placed, c.placed_amount) - c.repaid_total, 0)),
                   last_balance_update_at = u.at, updated_at = $5
               FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::timestamptz[])
                    AS u(case_id, placed, outstanding, at)
               WHERE c.case_id = u.case_id""",
            *cols.args("case_id", "placed", "outstanding", "at"), now)


async def apply_recall_on(conn: asyncpg.Connection, recall_on: Mapping[str, date | None], now: datetime) -> None:
    """case.updated (recall_extended, R-5): case id -> the placement's new recall date."""
    if recall_on:
        await conn.execute(
            """UPDATE cases c SET recall_on = u.recall_on, updated_at = $3
               FROM unnest($1::text[], $2::date[]) AS u(case_id, recall_on)
               WHERE c.case_id = u.case_id AND u.recall_on IS NOT NULL""",
            list(recall_on), list(recall_on.values()), now)


async def apply_status(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """case.updated (recall, closed, reopened, flags): intake's status and the client's flags."""
    if cols:
        await conn.execute(
            """UPDATE cases c SET status = coalesce(u.status, c.status),
                   flags = CASE WHEN u.set_flags THEN string_to_array(u.flags, ',') ELSE c.flags END,
                   withdrawn = CASE WHEN u.status = 'open' AND c.status <> 'open' THEN false ELSE c.withdrawn END,
                   updated_at = $5
               FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[]) AS u(case_id, status, set_flags, flags)
               WHERE c.case_id = u.case_id""",
            *cols.args("case_id", "status", "set_flags", "flags"), now)


async def apply_payments(conn: asyncpg.Connection, cols: Columns, now: datetime) -> None:
    """payment.posted: intake's running totals (the latest event of a case wins), R-5 auto-close."""
    if cols:
        await conn.execute(
            """UPDATE cases c SET repaid_total = u.repaid_total, outstanding = u.outstanding,
                   last_repayment_at = GREATEST(c.last_repayment_at, u.at),
                   status = CASE WHEN u.closes THEN 'closed' ELSE c.status END, updated_at = $6
               FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::timestamptz[], $5::boolean[])
                    AS u(case_id, repaid_total, outstanding, at, closes)
               WHERE c.case_id = u.case_id""",
            *cols.args("case_id", "repaid_total", "outstanding", "at", "closes"), now)


async def plan_facts(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    """What the follow-up and cadence rules need, for cases a batch touched."""
    return await conn.fetch(
        """SELECT c.case_id, c.client_id, c.zone, c.contact_status, c.next_follow_up, c.follow_up_earliest,
                  c.follow_up_latest, c.allocated_on, c.outstanding, c.last_effective_on, c.ptp_due_on,
                  c.owner_id, c.status, c.paused,
                  (SELECT min(p.added_on) FROM contact_points p WHERE p.case_id = c.case_id
                     AND p.kind <> 'address' AND p.attempts = 0
                     AND p.state NOT IN ('do_not_call', 'wrong_party', 'empty_number', 'invalid')) AS undialled_from
           FROM cases c WHERE c.case_id = ANY($1::text[])""", list(case_ids))


async def joint_cases(conn: asyncpg.Connection, id_hashes: Sequence[str]) -> dict[str, list[asyncpg.Record]]:
    """R-7 共债: every case of the given debtors (the caller leaves the case itself out)."""
    rows = await conn.fetch(
        """SELECT id_hash, case_id, client_id, owner_id, team_id, outstanding, status, contact_status
           FROM cases WHERE id_hash = ANY($1::text[])""", list(id_hashes))
    out: dict[str, list[asyncpg.Record]] = {}
    for r in rows:
        out.setdefault(r["id_hash"], []).append(r)
    return out


async def find_by_hash(conn: asyncpg.Connection, *, account_hash: str | None = None, id_hash: str | None = None,
                       limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {CASE_COLUMNS} FROM cases
            WHERE ($1::text IS NOT NULL AND account_hash = $1) OR ($2::text IS NOT NULL AND id_hash = $2)
            ORDER BY status <> 'open', received_at DESC LIMIT $3""", account_hash, id_hash, limit)

