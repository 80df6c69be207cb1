"""Quality inspection (R-48): the weekly sample, the queue, findings, violations per collector."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

_ITEM = """i.item_id, i.week_start, i.source, i.record_id, i.call_id, i.flag_id, i.case_id, i.collector_id,
    i.occurred_at, i.recheck, i.state, i.inspector_id, i.inspected_at, i.note, i.created_at"""


async def claim_week(conn: asyncpg.Connection, week: date, rate: float, now: datetime) -> bool:
    """The week's row is the claim: one replica samples it, the others find it taken."""
    row = await conn.fetchval(
        """INSERT INTO inspection_weeks (week_start, rate, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (week_start) DO NOTHING RETURNING week_start""", week, rate, now)
    return row is not None


async def sample_records(conn: asyncpg.Connection, week: date, rate: float, minimum: int,
                         now: datetime) -> list[asyncpg.Record]:
    """R-48: per collector, max(minimum, ceil(records x rate)) of their records of the week (original
    contacts made by collectors, not corrections or event-made records), chosen by a hash of the
    record and the week (the same week always draws the same sample)."""
    return await conn.fetch(
        """WITH week AS (
               SELECT r.record_id, r.case_id, r.collector_id, r.call_id, r.occurred_at, r.attempt_id,
                      count(*) OVER (PARTITION BY r.collector_id) AS n,
                      row_number() OVER (PARTITION BY r.collector_id
                                         ORDER BY md5(r.record_id::text || $1::text)) AS k
               FROM contact_records r
               WHERE r.occurred_on >= $1 AND r.occurred_on < $1 + 7 AND r.source = 'collector'
                 AND r.corrects IS NULL)
           INSERT INTO inspection_items (item_id, week_start, source, record_id, call_id, case_id, collector_id,
                                         occurred_at, created_at)
           SELECT gen_random_uuid(), $1, 'sample', record_id, call_id, case_id, collector_id, occurred_at, $4
           FROM week WHERE k <= least(n, greatest($3::int, ceil(n * $2::float8)::int))
           ON CONFLICT (week_start, record_id) WHERE record_id IS NOT NULL DO NOTHING
           RETURNING item_id, record_id, case_id, occurred_at""", week, rate, minimum, now)


async def flags_into_queue(conn: asyncpg.Connection, week: date, since: datetime, until: datetime,
                           now: datetime) -> int:
    """Telephony mismatches (R-19) flagged in the week join the queue, each once."""
    result = await conn.execute(
        """INSERT INTO inspection_items (item_id, week_start, source, record_id, call_id, flag_id, case_id,
                                         collector_id, occurred_at, created_at)
           SELECT gen_random_uuid(), $1, 'quality_flag', f.record_id, f.call_id, f.flag_id, f.case_id,
                  f.collector_id, f.created_at, $4
           FROM quality_flags f WHERE f.created_at >= $2 AND f.created_at < $3 AND f.collector_id IS NOT NULL
           ON CONFLICT (flag_id) WHERE flag_id IS NOT NULL DO NOTHING""", week, since, until, now)
    return int(result.split()[-1])


async def add_item(conn: asyncpg.Connection, *, week: date, source: str, record: Any, now: datetime) -> UUID | None:
    return await conn.fetchval(
        """INSERT INTO inspection_items (item_id, week_start, source, record_id, call_id, case_id, collector_id,
                                         occurred_at, created_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (week_start, record_id) WHERE record_id IS NOT NULL DO NOTHING RETURNING item_id""",
        week, source, record["record_id"], record["call_id"], record["case_id"], record["collector_id"],
        record["occurred_at"], now)


async def set_recheck(conn: asyncpg.Connection, rows: Sequence[tuple[UUID, dict[str, Any]]]) -> None:
    if rows:
        await conn.executemany("UPDATE inspection_items SET recheck = $2 WHERE item_id = $1", list(rows))


async def set_sampled(conn: asyncpg.Connection, week: date, n: int) -> None:
    await conn.execute("UPDATE inspection_weeks SET sampled = $2 WHERE week_start = $1", week, n)


# What the inspector judges: the record and its call (the queue and one item alike).
_DETAILS = f"""SELECT {_ITEM}, r.result, r.code, r.channel, r.party, r.notes, c.recording_uri, c.answered,
                   c.talk_seconds
            FROM inspection_items i LEFT JOIN contact_records r ON r.record_id = i.record_id
            LEFT JOIN calls c ON c.call_id = i.call_id"""


async def queue(conn: asyncpg.Connection, *, state: str | None, collector_id: str | None,
                after: tuple[datetime, UUID] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""{_DETAILS}
            WHERE ($1::text IS NULL OR i.state = $1) AND ($2::text IS NULL OR i.collector_id = $2)
              AND ($3::timestamptz IS NULL OR (i.created_at, i.item_id) > ($3::timestamptz, $4::uuid))
            ORDER BY i.created_at, i.item_id LIMIT $5""",
        state, collector_id, after[0] if after else None, after[1] if after else None, limit)


async def get_item(conn: asyncpg.Connection, item_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_ITEM} FROM inspection_items i WHERE i.item_id = $1"
                               + (" FOR UPDATE" if for_update else ""), item_id)


async def get_item_details(conn: asyncpg.Connection, item_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"{_DETAILS} WHERE i.item_id = $1", item_id)


async def decide(conn: asyncpg.Connection, item_id: UUID, state: str, *, by: str, at: datetime,
                 note: str | None) -> None:
    await conn.execute(
        """UPDATE inspection_items SET state = $2, inspector_id = $3, inspected_at = $4, note = $5
           WHERE item_id = $1""", item_id, state, by, at, note)


async def add_findings(conn: asyncpg.Connection, item: Any, findings: Sequence[tuple[str, str | None]], *,
                       by: str, at: datetime) -> None:
    if findings:
        await conn.executemany(
            """INSERT INTO inspection_findings (finding_id, item_id, kind, note, case_id, collector_id, occurred_at,
                   found_by, found_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8)""",
            [(item["item_id"], kind, note, item["case_id"], item["collector_id"], item["occurred_at"], by, at)
             for kind, note in findings])


async def findings_of(conn: asyncpg.Connection, item_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch("""SELECT finding_id, kind, note, found_by, found_at FROM inspection_findings
                               WHERE item_id = $1 ORDER BY found_at, finding_id""", item_id)


async def violations(conn: asyncpg.Connection, since: datetime, until: datetime,
                     collector_id: str | None) -> list[tuple[str, str, str, int]]:
    """(collector, source, kind, count) of the month: findings by kind, refusals by rule and in
    total, telephony mismatches by kind."""
    rows = await conn.fetch(
        """SELECT collector_id, 'finding' AS source, kind, count(*)::int AS n FROM inspection_findings
           WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR collector_id = $3) GROUP BY 1, 2, 3
           UNION ALL
           SELECT g.collector_id, 'refusal', rule, count(*)::int FROM gate_refusals g, unnest(g.rules) AS rule
           WHERE g.at >= $1 AND g.at < $2 AND g.collector_id IS NOT NULL
             AND ($3::text IS NULL OR g.collector_id = $3) GROUP BY 1, 2, 3
           UNION ALL
           SELECT collector_id, 'refused', '', count(*)::int FROM gate_refusals
           WHERE at >= $1 AND at < $2 AND collector_id IS NOT NULL AND ($3::text IS NULL OR collector_id = $3)
           GROUP BY 1, 2, 3
           UNION ALL
           SELECT collector_id, 'mismatch', kind, count(*)::int FROM quality_flags
           WHERE created_at >= $1 AND created_at < $2 AND collector_id IS NOT NULL
             AND ($3::text IS NULL OR collector_id = $3) GROUP BY 1, 2, 3""", since, until, collector_id)
    return [(r["collector_id"], r["source"], r["kind"], r["n"]) for r in rows]
