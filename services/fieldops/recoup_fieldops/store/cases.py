"""The cases and their addresses, as events describe them. Set-based: one statement per batch.

Topics are not ordered against each other (only one topic's events of a case are), so each
upsert creates the row if needed and touches only its own columns; where two events of one kind
can cross (balances, owners, statuses, pauses) the newer moment wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

Row = tuple[Any, ...]


def _cols(rows: Sequence[Row]) -> list[list[Any]]:
    return [list(c) for c in zip(*rows)]


async def upsert_received(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, placement_id, debtor_name, placed_amount, flags_json, status, received_at)."""
    if not rows:
        return
    await conn.execute(
        """INSERT INTO cases AS c (case_id, client_id, placement_id, debtor_name, placed_amount,
                                   outstanding, outstanding_at, flags, status, received_at, updated_at)
           SELECT id, cl, pl, nm, amt, amt, at, ARRAY(SELECT jsonb_array_elements_text(fl::jsonb)), st, at, now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[],
                       $7::text[], $8::timestamptz[]) AS r(id, cl, pl, nm, amt, fl, st, at)
           ON CONFLICT (case_id) DO UPDATE SET
               client_id = EXCLUDED.client_id, placement_id = EXCLUDED.placement_id,
               debtor_name = EXCLUDED.debtor_name, placed_amount = EXCLUDED.placed_amount,
               flags = EXCLUDED.flags, status = EXCLUDED.status, received_at = EXCLUDED.received_at,
               outstanding = CASE WHEN c.outstanding_at IS NULL OR c.outstanding_at <= EXCLUDED.received_at
                                  THEN EXCLUDED.outstanding ELSE c.outstanding END,
               outstanding_at = greatest(c.outstanding_at, EXCLUDED.received_at), updated_at = now()""",
        *_cols(rows))


async def set_outstanding(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, outstanding, at): R-35 thresholds read the newest balance."""
    if rows:
        await conn.execute(
            """INSERT INTO cases AS c (case_id, client_id, outstanding, outstanding_at, updated_at)
               SELECT *, now() FROM unnest($1::text[], $2::text[], $3::numeric[], $4::timestamptz[])
               ON CONFLICT (case_id) DO UPDATE SET outstanding = EXCLUDED.outstanding,
                   outstanding_at = EXCLUDED.outstanding_at, updated_at = now()
               WHERE c.outstanding_at IS NULL OR c.outstanding_at <= EXCLUDED.outstanding_at""",
            *_cols(rows))


async def set_status(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, status): open | recalled | closed (R-13)."""
    if rows:
        await conn.execute(
            """INSERT INTO cases (case_id, client_id, status, updated_at)
               SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[])
               ON CONFLICT (case_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()""",
            *_cols(rows))


async def set_flags(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, flags_json): the client's flags (R-16 special population, R-17 holds)."""
    if rows:
        await conn.execute(
            """INSERT INTO cases (case_id, client_id, flags, updated_at)
               SELECT id, cl, ARRAY(SELECT jsonb_array_elements_text(fl::jsonb)), now()
               FROM unnest($1::text[], $2::text[], $3::text[]) AS r(id, cl, fl)
               ON CONFLICT (case_id) DO UPDATE SET flags = EXCLUDED.flags, updated_at = now()""",
            *_cols(rows))


async def set_owner(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, collector_id, team_id, at) from case.allocated / case.resumed."""
    if rows:
        await conn.execute(
            """INSERT INTO cases AS c (case_id, client_id, collector_id, team_id, allocated_at, updated_at)
               SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                                           $5::timestamptz[])
               ON CONFLICT (case_id) DO UPDATE SET collector_id = EXCLUDED.collector_id,
                   team_id = EXCLUDED.team_id, allocated_at = EXCLUDED.allocated_at, updated_at = now()
               WHERE c.allocated_at IS NULL OR c.allocated_at <= EXCLUDED.allocated_at""",
            *_cols(rows))


async def set_contact_status(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, client_id, status, at): the R-22 status after contact (R-35 lost contact)."""
    if rows:
        await conn.execute(
            """INSERT INTO cases AS c (case_id, client_id, contact_status, contact_status_at, updated_at)
               SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
               ON CONFLICT (case_id) DO UPDATE SET contact_status = EXCLUDED.contact_status,
                   contact_status_at = EXCLUDED.contact_status_at, updated_at = now()
               WHERE c.contact_status_at IS NULL OR c.contact_status_at <= EXCLUDED.contact_status_at""",
            *_cols(rows))


async def set_paused(conn: asyncpg.Connection, rows: Sequence[Row]) -> list[str]:
    """(case_id, client_id, paused, at) (R-13); returns the cases whose pause state changed."""
    if not rows:
        return []
    got = await conn.fetch(
        """INSERT INTO cases AS c (case_id, client_id, paused, paused_at, updated_at)
           SELECT *, now() FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[])
           ON CONFLICT (case_id) DO UPDATE SET paused = EXCLUDED.paused, paused_at = EXCLUDED.paused_at,
               updated_at = now()
           WHERE c.paused_at IS NULL OR c.paused_at <= EXCLUDED.paused_at
           RETURNING case_id""", *_cols(rows))
    return [r["case_id"] for r in got]


async def add_addresses(conn: asyncpg.Connection, rows: Sequence[Row]) -> None:
    """(case_id, address_id, kind, province, city, district, line, employer, verified, source,
    found_on, added_at, owner, postcode); an address already known stays as it was first learned
    (it may gain a verification and a postcode it lacked)."""
    if rows:
        await conn.execute(
            """INSERT INTO case_addresses (case_id, address_id, kind, province, city, district, line,
                                           employer, verified, source, found_on, added_at, owner, postcode)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                    $6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[],
                                    $11::date[], $12::timestamptz[], $13::text[], $14::text[])
               ON CONFLICT (case_id, address_id) DO UPDATE
                   SET verified = case_addresses.verified OR EXCLUDED.verified,
                       postcode = COALESCE(case_addresses.postcode, EXCLUDED.postcode)""",
            *_cols(rows))


async def get(conn: asyncpg.Connection, case_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT * FROM cases WHERE case_id = $1{' FOR UPDATE' if lock else ''}", case_id)


async def address(conn: asyncpg.Connection, case_id: str, address_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM case_addresses WHERE case_id = $1 AND address_id = $2", case_id, address_id)


async def addresses(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM case_addresses WHERE case_id = $1 ORDER BY found_on, kind, address_id", case_id)


async def many(conn: asyncpg.Connection, case_ids: Sequence[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM cases WHERE case_id = ANY($1::text[])", list(case_ids))
    return {r["case_id"]: r for r in rows}
