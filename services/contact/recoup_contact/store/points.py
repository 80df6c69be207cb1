"""Contact points: every phone and address of a case (numbers encrypted, R-46)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import asyncpg

from . import Columns

POINT_NAMES = ("point_id", "case_id", "kind", "party", "relationship", "name", "knows_debt", "source",
               "state", "state_at", "number_enc", "number_hash", "number_masked", "extension", "region",
               "carrier", "address_kind", "province", "city", "district", "line_enc", "line_masked",
               "address_hash", "employer", "verified", "added_at", "added_on", "added_by")
_TYPES = ("uuid", "text", "text", "text", "text", "text", "boolean", "text", "text", "timestamptz",
          "bytea", "text", "text", "text", "text", "text", "text", "text", "text", "text", "bytea", "text",
          "text", "text", "boolean", "timestamptz", "date", "text")
_INSERT = (f"INSERT INTO contact_points ({', '.join(POINT_NAMES)}) SELECT * FROM unnest("
           + ", ".join(f"${i + 1}::{t}[]" for i, t in enumerate(_TYPES))
           + ") ON CONFLICT DO NOTHING RETURNING point_id, case_id, kind, state")


async def add(conn: asyncpg.Connection, cols: Columns) -> list[asyncpg.Record]:
    """New points; a phone or address the case already has is skipped (same blind index)."""
    if not cols:
        return []
    return await conn.fetch(_INSERT, *cols.args(*POINT_NAMES))


_READ = """point_id, case_id, kind, party, relationship, name, knows_debt, source, state, state_at,
    number_hash, number_masked, extension, region, carrier, address_kind, province, city, district,
    line_masked, employer, verified, last_result, last_attempt_at, attempts, added_at, added_on"""
READ_NAMES = tuple(n.strip() for n in _READ.split(","))

# The case's points as one column of a statement that reads the case (store.casepage.for_gate):
# anonymous rows in of_case's order, named again by `with_case` — one round trip less on the
# contact form, the dial and the gate's evaluation.
WITH_CASE = f"""(SELECT array_agg(ROW({_READ}) ORDER BY p.added_at, p.point_id) FROM contact_points p
     WHERE p.case_id = c.case_id) AS points"""


def with_case(case: asyncpg.Record) -> list[dict]:
    """The points read by WITH_CASE, as of_case returns them (by name)."""
    return [dict(zip(READ_NAMES, row)) for row in case["points"] or ()]


async def of_case(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {_READ} FROM contact_points WHERE case_id = $1 ORDER BY added_at, point_id",
                            case_id)


async def get(conn: asyncpg.Connection, point_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_READ} FROM contact_points WHERE point_id = $1", point_id)


async def number_of(conn: asyncpg.Connection, point_id: UUID) -> tuple[bytes | None, str | None]:
    """The encrypted number and extension (only the dial decrypts it)."""
    row = await conn.fetchrow("SELECT number_enc, extension FROM contact_points WHERE point_id = $1", point_id)
    return (bytes(row["number_enc"]) if row and row["number_enc"] else None, row["extension"] if row else None)


async def record_attempt(conn: asyncpg.Connection, point_id: UUID, *, state: str, result: str,
                         at: datetime, counts: bool) -> None:
    """After a record on this point: its state, last result, and (outbound) one more attempt."""
    await conn.execute(
        """UPDATE contact_points SET state = $2, state_at = CASE WHEN state <> $2 THEN $4 ELSE state_at END,
               last_result = $3, last_attempt_at = GREATEST(last_attempt_at, $4),
               attempts = attempts + CASE WHEN $5 THEN 1 ELSE 0 END
           WHERE point_id = $1""", point_id, state, result, at, counts)


async def set_state(conn: asyncpg.Connection, point_id: UUID, state: str, at: datetime) -> None:
    await conn.execute("UPDATE contact_points SET state = $2, state_at = $3 WHERE point_id = $1",
                       point_id, state, at)


async def set_knows_debt(conn: asyncpg.Connection, point_id: UUID, knows: bool | None) -> None:
    await conn.execute("UPDATE contact_points SET knows_debt = $2 WHERE point_id = $1", point_id, knows)


async def by_number_hash(conn: asyncpg.Connection, number_hash: str, limit: int) -> list[str]:
    """R-25 inbound lookup: the cases that hold this phone."""
    rows = await conn.fetch(
        "SELECT DISTINCT case_id FROM contact_points WHERE number_hash = $1 LIMIT $2", number_hash, limit)
    return [r["case_id"] for r in rows]


async def mark_addresses(conn: asyncpg.Connection, case_id: str, address_kind: str, state: str,
                         at: datetime) -> int:
    """A returned letter (R-31): the address it used becomes undeliverable."""
    result = await conn.execute(
        """UPDATE contact_points SET state = $3, state_at = $4
           WHERE case_id = $1 AND kind = 'address' AND address_kind = $2
             AND state <> $3""", case_id, address_kind, state, at)
    return int(result.split()[-1])


async def mark_address_hash(conn: asyncpg.Connection, case_id: str, address_hash: str, state: str,
                            at: datetime) -> int:
    result = await conn.execute(
        """UPDATE contact_points SET state = $3, state_at = $4
           WHERE case_id = $1 AND address_hash = $2 AND state <> $3""", case_id, address_hash, state, at)
    return int(result.split()[-1])


async def undialled_from(conn: asyncpg.Connection, case_id: str, blocked: Sequence[str]) -> object:
    """The earliest day a dialable phone of the case has waited for its first dial (R-20)."""
    return await conn.fetchval(
        """SELECT min(added_on) FROM contact_points WHERE case_id = $1 AND kind <> 'address'
             AND attempts = 0 AND NOT (state = ANY($2::text[]))""", case_id, list(blocked))
