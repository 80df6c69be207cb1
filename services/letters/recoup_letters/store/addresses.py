"""Addresses (R-29, R-31) and the debtor's mobile numbers (SMS)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from . import as_json


async def upsert(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Rows: address_id, case_id, party_id, kind, province, city, district, line, postcode, employer,
    source, found_on, verified_on, revalidate, at. An address seen again keeps its first source and
    date, gains a postcode or employer it lacked and the newest verification; `revalidate` (a
    visit verified it after it was returned) clears its invalid mark. Returns the ids written."""
    if not rows:
        return []
    got = await conn.fetch(
        """INSERT INTO addresses AS a (address_id, case_id, party_id, kind, province, city, district, line,
               postcode, employer, source, found_on, verified_on, added_at)
           SELECT DISTINCT ON (address_id) address_id, case_id, party_id, kind, province, city, district, line,
                  postcode, employer, source, found_on, verified_on, at
           FROM jsonb_to_recordset($1::text::jsonb) AS r(address_id text, case_id text, party_id text, kind text,
               province text, city text, district text, line text, postcode text, employer text, source text,
               found_on date, verified_on date, revalidate boolean, at timestamptz)
           ORDER BY address_id, verified_on DESC NULLS LAST
           ON CONFLICT (address_id) DO UPDATE SET
               postcode = COALESCE(a.postcode, EXCLUDED.postcode),
               employer = COALESCE(a.employer, EXCLUDED.employer),
               verified_on = GREATEST(a.verified_on, EXCLUDED.verified_on),
               source = CASE WHEN a.verified_on IS NULL AND EXCLUDED.verified_on IS NOT NULL
                             THEN EXCLUDED.source ELSE a.source END,
               invalid_since = CASE WHEN EXCLUDED.source = 'visit' AND EXCLUDED.verified_on IS NOT NULL
                                         AND EXCLUDED.verified_on >= a.invalid_since
                                    THEN NULL ELSE a.invalid_since END,
               invalid_reason = CASE WHEN EXCLUDED.source = 'visit' AND EXCLUDED.verified_on IS NOT NULL
                                          AND EXCLUDED.verified_on >= a.invalid_since
                                     THEN NULL ELSE a.invalid_reason END
           RETURNING address_id""",
        as_json(list(rows)))
    return [r["address_id"] for r in got]


async def for_cases(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT address_id, case_id, party_id, kind, province, city, district, line, postcode, employer,
                  source, found_on, verified_on, invalid_since, invalid_reason, delivered_on
           FROM addresses WHERE case_id = ANY($1::text[]) ORDER BY case_id, address_id""", list(case_ids))


async def get(conn: asyncpg.Connection, address_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT address_id, case_id, party_id, kind, province, city, district, line, postcode, employer,
                  source, found_on, verified_on, invalid_since, invalid_reason, delivered_on
           FROM addresses WHERE address_id = $1""", address_id)


async def invalidate(conn: asyncpg.Connection, address_id: str, on: date, reason: str) -> None:
    """R-31: a return says the address does not reach the debtor; the earliest such day stays."""
    await conn.execute(
        """UPDATE addresses SET invalid_since = LEAST(COALESCE(invalid_since, $2), $2),
               invalid_reason = COALESCE(invalid_reason, $3) WHERE address_id = $1""",
        address_id, on, reason)


async def presume_delivered(conn: asyncpg.Connection, dispatched_before: datetime) -> int:
    """R-29 "addresses already proven valid": a letter dispatched there long enough ago that did not
    come back marks the address delivered (registered mail returns within weeks)."""
    got = await conn.fetch(
        """UPDATE addresses a SET delivered_on = d.on
           FROM (SELECT l.address_id, max(l.dispatched_at)::date AS on FROM letters l
                 WHERE l.status = 'dispatched' AND l.dispatched_at < $1 GROUP BY l.address_id) d
           WHERE a.address_id = d.address_id AND a.invalid_since IS NULL
             AND (a.delivered_on IS NULL OR a.delivered_on < d.on)
           RETURNING a.address_id""", dispatched_before)
    return len(got)


# --- phones ------------------------------------------------------------------------------------

async def upsert_phones(conn: asyncpg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows: case_id, number_hash, number, number_masked, kind, owner, at."""
    if not rows:
        return
    await conn.execute(
        """INSERT INTO phones (case_id, number_hash, number, number_masked, kind, owner, added_at)
           SELECT DISTINCT ON (case_id, number_hash) case_id, number_hash, number, number_masked, kind, owner, at
           FROM jsonb_to_recordset($1::text::jsonb) AS r(case_id text, number_hash text, number text,
               number_masked text, kind text, owner text, at timestamptz)
           ORDER BY case_id, number_hash
           ON CONFLICT (case_id, number_hash) DO NOTHING""", as_json(list(rows)))


async def phones_for(conn: asyncpg.Connection, case_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT case_id, number_hash, number, number_masked, kind, owner, added_at FROM phones
           WHERE case_id = ANY($1::text[])""", list(case_ids))
