"""The cases table: what the letters need to know about a case, kept from intake's events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from . import as_json

_RECEIVED_COLUMNS = """case_id text, client_id text, placement_id text, placement_ref text, product text,
    placed_on date, recall_on date, dpd_at_placement int, overdue_since date, currency text,
    principal numeric, interest numeric, fees numeric, placed_amount numeric, status text,
    flags text[], debtor_name text, debtor_gender text, id_number_masked text, account_masked text,
    region text, at timestamptz"""


async def upsert_received(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """case.received: a new case, or the same case placed again (a new placement is a new cycle:
    the instalment plan of the old one is dropped)."""
    if not rows:
        return
    await conn.execute(
        f"""INSERT INTO cases AS c (case_id, client_id, placement_id, placement_ref, product, placed_on,
               recall_on, dpd_at_placement, overdue_since, currency, principal, interest, fees, placed_amount,
               outstanding, status, flags, debtor_name, debtor_gender, id_number_masked, account_masked,
               region, received_at, updated_at)
           SELECT case_id, client_id, placement_id, placement_ref, product, placed_on, recall_on,
                  dpd_at_placement, overdue_since, currency, principal, interest, fees, placed_amount,
                  placed_amount, status, flags, debtor_name, debtor_gender, id_number_masked, account_masked,
                  region, at, at
           FROM jsonb_to_recordset($1::text::jsonb) AS r({_RECEIVED_COLUMNS})
           ON CONFLICT (case_id) DO UPDATE SET
               client_id = EXCLUDED.client_id, placement_id = EXCLUDED.placement_id,
               placement_ref = EXCLUDED.placement_ref, product = EXCLUDED.product,
               placed_on = EXCLUDED.placed_on, recall_on = EXCLUDED.recall_on,
               dpd_at_placement = EXCLUDED.dpd_at_placement, overdue_since = EXCLUDED.overdue_since,
               currency = EXCLUDED.currency, principal = EXCLUDED.principal, interest = EXCLUDED.interest,
               fees = EXCLUDED.fees, placed_amount = EXCLUDED.placed_amount, outstanding = EXCLUDED.outstanding,
               status = EXCLUDED.status, flags = EXCLUDED.flags, debtor_name = EXCLUDED.debtor_name,
               debtor_gender = EXCLUDED.debtor_gender, id_number_masked = EXCLUDED.id_number_masked,
               account_masked = EXCLUDED.account_masked, region = EXCLUDED.region,
               instalment_plan = CASE WHEN c.placement_id = EXCLUDED.placement_id THEN c.instalment_plan END,
               received_at = EXCLUDED.received_at, updated_at = EXCLUDED.updated_at""",
        as_json(list(rows)))


async def apply_changes(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> list[str]:
    """case.updated / payment.posted / case.paused|resumed / contact.logged plans: each row names a
    case and the fields it changes (absent = unchanged). Returns the cases that exist."""
    if not rows:
        return []
    got = await conn.fetch(
        """UPDATE cases c SET
               status = COALESCE(r.status, c.status),
               flags = COALESCE(r.flags, c.flags),
               paused = COALESCE(r.paused, c.paused),
               placed_amount = COALESCE(r.placed_amount, c.placed_amount),
               principal = COALESCE(r.principal, c.principal),
               interest = COALESCE(r.interest, c.interest),
               fees = COALESCE(r.fees, c.fees),
               outstanding = COALESCE(r.outstanding, c.outstanding),
               recall_on = COALESCE(r.recall_on, c.recall_on),
               instalment_plan = CASE WHEN r.set_plan THEN r.instalment_plan ELSE c.instalment_plan END,
               updated_at = GREATEST(c.updated_at, r.at)
           FROM jsonb_to_recordset($1::text::jsonb) AS r(case_id text, status text, flags text[], paused boolean,
               placed_amount numeric, principal numeric, interest numeric, fees numeric, outstanding numeric,
               set_plan boolean, instalment_plan jsonb, recall_on date, at timestamptz)
           WHERE c.case_id = r.case_id
           RETURNING c.case_id""",
        as_json(list(rows)))
    return [r["case_id"] for r in got]


async def rows_for(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT case_id, client_id, placement_id, placement_ref, product, placed_on, recall_on,
                  dpd_at_placement, overdue_since, currency, principal, interest, fees, placed_amount,
                  outstanding, status, flags, paused, debtor_name, debtor_gender, id_number_masked,
                  account_masked, region, instalment_plan::text AS instalment_plan
           FROM cases WHERE case_id = ANY($1::text[])""", list(case_ids))


async def exists(conn: asyncpg.Connection, case_id: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM cases WHERE case_id = $1", case_id))


async def page_for_planning(conn: asyncpg.Connection, after: str, limit: int) -> list[str]:
    """The cases a planning run visits, in id order: open ones (letters may be due) and any with a
    letter not yet dispatched (it may have to be cancelled, R-31)."""
    rows = await conn.fetch(
        """SELECT case_id FROM cases c
           WHERE c.case_id > $1 AND (c.status = 'open' OR EXISTS (
               SELECT 1 FROM letters l WHERE l.case_id = c.case_id
                 AND l.status IN ('planned', 'generated', 'approved')))
           ORDER BY c.case_id LIMIT $2""", after, limit)
    return [r["case_id"] for r in rows]
