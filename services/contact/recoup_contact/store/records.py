"""Contact records (append-only; the table refuses UPDATE and DELETE) and the case timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.bus.envelope import OutboxRecord
from recoup_shared.bus.outbox import outbox_cte

from . import Columns, insert
from .attempts import ATTEMPT_COLUMNS

RECORD_COLUMNS = (
    ("record_id", "uuid"), ("case_id", "text"), ("client_id", "text"), ("collector_id", "text"),
    ("team_id", "text"), ("channel", "text"), ("party", "text"), ("point_id", "uuid"), ("result", "text"),
    ("code", "text"), ("code_version", "int"), ("status_after", "text"), ("effective", "boolean"),
    ("notes", "text"), ("callback_at", "timestamptz"), ("dispute_reason", "text"), ("promise_id", "uuid"),
    ("call_id", "uuid"), ("attempt_id", "uuid"), ("requested_by_debtor", "boolean"),
    ("next_follow_up_on", "date"), ("found", "jsonb"), ("corrects", "uuid"), ("correction_reason", "text"),
    ("source", "text"), ("source_ref", "text"), ("occurred_at", "timestamptz"), ("occurred_on", "date"),
    ("recorded_at", "timestamptz"))
RECORD_NAMES = tuple(n for n, _ in RECORD_COLUMNS)


async def add(conn: asyncpg.Connection, cols: Columns) -> None:
    await insert(conn, "contact_records", RECORD_COLUMNS, cols)


async def write_effects(conn: asyncpg.Connection, *, record: Columns, timeline: dict[str, Any],
                        point: dict[str, Any] | None, case_id: str, case_values: dict[str, Any],
                        now: datetime, attempt: dict[str, Any] | None = None,
                        events: Sequence[OutboxRecord] = ()) -> None:
    """A contact record and what it does, in one statement (data-modifying CTEs): the record, its
    timeline entry, its contact point's state and attempt count, the case's new status, follow-up,
    cadence and dates, the gate's reservation (made under the case lock in this transaction) and the
    events with the relay's wake-up. One round trip instead of seven on the contact form's path."""
    params: list[Any] = []

    def p(value: Any, cast: str = "") -> str:
        params.append(value)
        return f"${len(params)}{cast}"

    names = [n for n, _ in RECORD_COLUMNS]
    row = dict(zip(names, (values[0] for values in record.args(*names))))
    rec = ", ".join(p(row[n], f"::{t}") for n, t in RECORD_COLUMNS)   # jsonb: the pool's codec encodes it
    parts = [f"r AS (INSERT INTO contact_records ({', '.join(names)}) VALUES ({rec}) RETURNING 1)",
             "t AS (INSERT INTO timeline (case_id, at, kind, actor, ref, data) VALUES ("
             f"{p(case_id)}, {p(timeline['at'])}, {p(timeline['kind'])}, {p(timeline['actor'])}, "
             f"{p(timeline['ref'])}, {p(timeline['data'], '::jsonb')}) RETURNING 1)"]
    if point is not None:
        state, at = p(point["state"], "::text"), p(point["at"], "::timestamptz")
        result, counts, point_id = p(point["result"], "::text"), p(int(point["counts"]), "::int"), p(point["point_id"])
        parts.append(f"pt AS (UPDATE contact_points SET state = {state}, "
                     f"state_at = CASE WHEN state <> {state} THEN {at} ELSE state_at END, last_result = {result}, "
                     f"last_attempt_at = GREATEST(last_attempt_at, {at}), attempts = attempts + {counts} "
                     f"WHERE point_id = {point_id} RETURNING 1)")
    if attempt is not None:
        cols = ", ".join(n for n, _ in ATTEMPT_COLUMNS)
        vals = ", ".join(p(attempt[n], f"::{t}") for n, t in ATTEMPT_COLUMNS)
        parts.append(f"a AS (INSERT INTO attempts ({cols}) VALUES ({vals}) RETURNING 1)")
    notify = None
    if events:
        body, notify = outbox_cte(events, p)
        parts.append(f"o AS ({body})")
    sets = ", ".join(f"{name} = {p(value)}" for name, value in case_values.items())
    sets = f"{sets}, updated_at = {p(now)}" if sets else f"updated_at = {p(now)}"
    update = f"UPDATE cases SET {sets} WHERE case_id = {p(case_id)}"
    if notify:
        parts.append(f"u AS ({update} RETURNING 1)")
        await conn.execute(f"WITH {', '.join(parts)} SELECT {notify} FROM u", *params)
    else:
        await conn.execute(f"WITH {', '.join(parts)} {update}", *params)


async def add_from_events(conn: asyncpg.Connection, cols: Columns) -> list[UUID]:
    """Records made from another service's event (visits, letters): once per source_ref. (`found`
    stays empty on these: skip tracing happens in conversations.)"""
    if not cols:
        return []
    types = [("text" if t == "jsonb" else t) for _, t in RECORD_COLUMNS]
    select = ", ".join(f"u.{n}::jsonb" if t == "jsonb" else f"u.{n}" for n, t in RECORD_COLUMNS)
    rows = await conn.fetch(
        f"INSERT INTO contact_records ({', '.join(RECORD_NAMES)}) SELECT {select} FROM unnest("
        + ", ".join(f"${i + 1}::{t}[]" for i, t in enumerate(types))
        + f") AS u({', '.join(RECORD_NAMES)}) ON CONFLICT (source_ref) DO NOTHING RETURNING record_id",
        *cols.args(*RECORD_NAMES))
    return [r["record_id"] for r in rows]


_READ = """record_id, case_id, client_id, collector_id, team_id, channel, party, point_id, result, code,
    code_version, status_after, effective, notes, callback_at, dispute_reason, promise_id, call_id,
    attempt_id, requested_by_debtor, next_follow_up_on, found, corrects, correction_reason, source,
    occurred_at, occurred_on, recorded_at"""


async def get(conn: asyncpg.Connection, record_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_READ} FROM contact_records WHERE record_id = $1", record_id)


async def corrections_of(conn: asyncpg.Connection, record_id: UUID) -> int:
    return await conn.fetchval("SELECT count(*) FROM contact_records WHERE corrects = $1", record_id)


async def latest_of_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    """The case's newest original record (corrections replace their original in place)."""
    return await conn.fetchrow(
        f"""SELECT {_READ} FROM contact_records WHERE case_id = $1 AND corrects IS NULL
            ORDER BY occurred_at DESC, recorded_at DESC LIMIT 1""", case_id)


async def status_before(conn: asyncpg.Connection, case_id: str, original: Any) -> str | None:
    """The R-22 status the case had before `original` (the record in force just before it)."""
    return await conn.fetchval(
        """SELECT status_after FROM contact_records r
           WHERE r.case_id = $1 AND (r.occurred_at, r.recorded_at) < ($2, $3) AND r.record_id <> $4
             AND coalesce(r.corrects, r.record_id) <> $4
             AND NOT EXISTS (SELECT 1 FROM contact_records x WHERE x.corrects = coalesce(r.corrects, r.record_id)
                             AND x.recorded_at > r.recorded_at AND x.record_id <> r.record_id)
           ORDER BY r.occurred_at DESC, r.recorded_at DESC LIMIT 1""",
        case_id, original["occurred_at"], original["recorded_at"], original["record_id"])


async def of_case(conn: asyncpg.Connection, case_id: str, *, before: tuple[datetime, UUID] | None,
                  limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {_READ} FROM contact_records WHERE case_id = $1
              AND ($2::timestamptz IS NULL OR (occurred_at, record_id) < ($2, $3::uuid))
            ORDER BY occurred_at DESC, record_id DESC LIMIT $4""",
        case_id, before[0] if before else None, before[1] if before else None, limit)


async def search(conn: asyncpg.Connection, *, client_id: str | None, collector_id: str | None,
                 team_id: str | None, day_from: date, day_to: date, after: tuple[datetime, UUID] | None,
                 limit: int) -> list[asyncpg.Record]:
    """催记管理: records of a period, by client / collector / team, oldest first (keyset paging)."""
    return await conn.fetch(
        f"""SELECT {_READ} FROM contact_records
            WHERE occurred_on BETWEEN $4 AND $5
              AND ($1::text IS NULL OR client_id = $1) AND ($2::text IS NULL OR collector_id = $2)
              AND ($3::text IS NULL OR team_id = $3)
              AND ($6::timestamptz IS NULL OR (occurred_at, record_id) > ($6::timestamptz, $7::uuid))
            ORDER BY occurred_at, record_id LIMIT $8""",
        client_id, collector_id, team_id, day_from, day_to,
        after[0] if after else None, after[1] if after else None, limit)


async def for_report(conn: asyncpg.Connection, client_id: str, day_from: date, day_to: date,
                     limit: int) -> list[asyncpg.Record]:
    """催记报告 rows: the records in force — each original replaced by its latest correction (a
    correction keeps its original's moment, so both fall in the same period)."""
    return await conn.fetch(
        """WITH r AS (
               SELECT r.*, row_number() OVER (PARTITION BY coalesce(r.corrects, r.record_id)
                                              ORDER BY r.recorded_at DESC, r.record_id DESC) AS n
               FROM contact_records r WHERE r.client_id = $1 AND r.occurred_on BETWEEN $2 AND $3)
           SELECT r.*, c.account_masked, c.debtor_name, c.placement_ref, p.number_masked, p.relationship,
                  pr.amount AS ptp_amount, (pr.instalments -> 0 ->> 'due_on')::date AS ptp_due_on,
                  jsonb_array_length(coalesce(pr.instalments, '[]'::jsonb)) AS instalment_count
           FROM r JOIN cases c ON c.case_id = r.case_id
           LEFT JOIN contact_points p ON p.point_id = r.point_id
           LEFT JOIN promises pr ON pr.promise_id = r.promise_id
           WHERE r.n = 1
           ORDER BY r.occurred_at, r.record_id LIMIT $4""", client_id, day_from, day_to, limit)


# --- timeline ----------------------------------------------------------------------------------

TIMELINE_COLUMNS = (("case_id", "text"), ("at", "timestamptz"), ("kind", "text"), ("actor", "text"),
                    ("ref", "text"), ("data", "jsonb"))


async def timeline_add(conn: asyncpg.Connection, cols: Columns) -> None:
    await insert(conn, "timeline", TIMELINE_COLUMNS, cols)


async def timeline_one(conn: asyncpg.Connection, case_id: str, at: datetime, kind: str, *,
                       actor: str | None = None, ref: str | None = None, data: dict[str, Any] | None = None) -> None:
    await conn.execute("INSERT INTO timeline (case_id, at, kind, actor, ref, data) VALUES ($1, $2, $3, $4, $5, $6)",
                       case_id, at, kind, actor, ref, data or {})


async def timeline(conn: asyncpg.Connection, case_id: str, *, before: tuple[datetime, int] | None,
                   limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT id, at, kind, actor, ref, data FROM timeline WHERE case_id = $1
             AND ($2::timestamptz IS NULL OR (at, id) < ($2, $3))
           ORDER BY at DESC, id DESC LIMIT $4""",
        case_id, before[0] if before else None, before[1] if before else None, limit)

