"""Facts from events, written set-based: one statement per fact table per batch (unnest of
column arrays), never one round trip per event. Every write is idempotent on its natural key, so a
replayed event changes nothing even without the inbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg


@dataclass
class Columns:
    """Column arrays for one unnest(): `add(**row)` appends, `args(*names)` returns the lists."""

    rows: int = 0
    data: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **row: Any) -> None:
        for k, v in row.items():
            self.data.setdefault(k, []).append(v)
        self.rows += 1

    def args(self, *names: str) -> list[list[Any]]:
        return [self.data.get(n, [None] * self.rows) for n in names]


# --- case.received ----------------------------------------------------------------------------

_UPSERT_CASES = """
INSERT INTO billing_cases AS c (case_id, placement_id, client_id, placement_ref, placed_on, recall_on,
    dpd_at_placement, dpd_bucket, placed_amount, current_placed_amount, end_on,
    source_event_id, source_occurred_at)
SELECT DISTINCT ON (u.case_id, u.placement_id)
       u.case_id, u.placement_id, u.client_id, u.placement_ref, u.placed_on, u.recall_on, u.dpd,
       u.bucket, u.amount, u.amount, u.recall_on, u.event_id, u.occurred_at
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[],
            $8::text[], $9::numeric[], $10::uuid[], $11::timestamptz[])
     AS u(case_id, placement_id, client_id, placement_ref, placed_on, recall_on, dpd, bucket, amount,
          event_id, occurred_at)
ORDER BY u.case_id, u.placement_id, u.occurred_at DESC
ON CONFLICT (case_id, placement_id) DO UPDATE SET
    client_id = EXCLUDED.client_id, placement_ref = EXCLUDED.placement_ref,
    placed_on = EXCLUDED.placed_on, recall_on = EXCLUDED.recall_on,
    dpd_at_placement = EXCLUDED.dpd_at_placement, dpd_bucket = EXCLUDED.dpd_bucket,
    placed_amount = EXCLUDED.placed_amount, source_event_id = EXCLUDED.source_event_id,
    source_occurred_at = EXCLUDED.source_occurred_at, updated_at = now()
WHERE c.source_occurred_at < EXCLUDED.source_occurred_at
"""


async def upsert_cases(conn: asyncpg.Connection, cols: Columns) -> None:
    """A placement spell per (case_id, placement_id); a newer case.received for the same spell
    wins, an older or repeated one changes nothing."""
    await conn.execute(_UPSERT_CASES, *cols.args(
        "case_id", "placement_id", "client_id", "placement_ref", "placed_on", "recall_on", "dpd",
        "bucket", "amount", "event_id", "occurred_at"))


# --- case.updated -----------------------------------------------------------------------------

_INSERT_CHANGES = """
INSERT INTO billing_case_changes (event_id, case_id, client_id, change, status, placed_amount,
                                  effective_on, occurred_at, reason)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::numeric[],
                     $7::date[], $8::timestamptz[], $9::text[])
ON CONFLICT (event_id) DO NOTHING
"""


async def insert_changes(conn: asyncpg.Connection, cols: Columns) -> None:
    await conn.execute(_INSERT_CHANGES, *cols.args(
        "event_id", "case_id", "client_id", "change", "status", "placed_amount", "effective_on",
        "occurred_at", "reason"))


# The placement's recall date moved (case.updated recall_extended): that spell's scheduled end. A
# replayed (older) case.received does not undo it: _UPSERT_CASES only takes a newer one.
_MOVE_RECALL = """
UPDATE billing_cases c SET recall_on = u.recall_on, updated_at = now()
FROM unnest($1::uuid[], $2::text[], $3::date[]) AS u(case_id, placement_id, recall_on)
WHERE c.case_id = u.case_id
  AND c.placement_id = COALESCE(u.placement_id, (SELECT l.placement_id FROM billing_cases l
                                                 WHERE l.case_id = u.case_id
                                                 ORDER BY l.placed_on DESC, l.placement_id DESC LIMIT 1))
  AND c.recall_on IS DISTINCT FROM u.recall_on
"""


async def move_recall_dates(conn: asyncpg.Connection, recall_on: Mapping[tuple[UUID, str | None], date]) -> None:
    """(case id, placement id — None: the case's latest spell) -> the new recall date; refresh_cases
    then recomputes end_on."""
    if recall_on:
        await conn.execute(_MOVE_RECALL, [c for c, _ in recall_on], [p for _, p in recall_on],
                           list(recall_on.values()))


# Derived columns of every spell of the given cases, recomputed from all the facts we hold, so
# the order in which case.received / case.updated / payment.posted arrive does not matter.
# - status: the latest change (by effective date) within the spell; a repayment that closed the
#   case closes it unless a later change says otherwise.
# - recalled_on: the effective date of the recall when the spell's status is 'recalled'.
# - current_placed_amount: the latest balance change within the spell (R-5 更新息费).
# - end_on: last day a repayment counts = recalled_on, else the scheduled recall_on; never past
#   the day before the case's next spell.
_REFRESH = """
WITH s AS (
    SELECT c.case_id, c.placement_id, c.placed_on, c.recall_on, c.placed_amount,
           lead(c.placed_on) OVER (PARTITION BY c.case_id ORDER BY c.placed_on, c.placement_id) AS next_on
    FROM billing_cases c WHERE c.case_id = ANY($1::uuid[])
), x AS (
    SELECT s.case_id, s.placement_id, ch.change, ch.status, ch.placed_amount, ch.effective_on,
           ch.occurred_at
    FROM s JOIN billing_case_changes ch ON ch.case_id = s.case_id AND ch.effective_on >= s.placed_on
         AND (s.next_on IS NULL OR ch.effective_on < s.next_on)
), cur AS (
    SELECT DISTINCT ON (case_id, placement_id) case_id, placement_id, status, effective_on
    FROM x ORDER BY case_id, placement_id, effective_on DESC, occurred_at DESC
), rec AS (
    SELECT DISTINCT ON (case_id, placement_id) case_id, placement_id, effective_on
    FROM x WHERE change = 'recall' ORDER BY case_id, placement_id, effective_on DESC, occurred_at DESC
), clo AS (
    SELECT DISTINCT ON (case_id, placement_id) case_id, placement_id, effective_on
    FROM x WHERE change = 'closed' ORDER BY case_id, placement_id, effective_on DESC, occurred_at DESC
), amt AS (
    SELECT DISTINCT ON (case_id, placement_id) case_id, placement_id, placed_amount
    FROM x WHERE placed_amount IS NOT NULL
    ORDER BY case_id, placement_id, effective_on DESC, occurred_at DESC
), paid_off AS (
    SELECT s.case_id, s.placement_id, min(r.paid_on) AS paid_on
    FROM s JOIN billing_repayments r ON r.case_id = s.case_id AND r.closes_case
         AND r.paid_on >= s.placed_on AND (s.next_on IS NULL OR r.paid_on < s.next_on)
    GROUP BY 1, 2
), f AS (
    SELECT s.case_id, s.placement_id, s.recall_on, s.next_on, rec.effective_on AS rec_on,
           clo.effective_on AS clo_on, cur.effective_on AS cur_on, po.paid_on AS paid_off_on,
           COALESCE(amt.placed_amount, s.placed_amount) AS amount,
           CASE WHEN po.paid_on IS NOT NULL AND (cur.status IS NULL OR cur.effective_on < po.paid_on)
                THEN 'closed' ELSE COALESCE(cur.status, 'open') END AS status
    FROM s LEFT JOIN cur USING (case_id, placement_id) LEFT JOIN rec USING (case_id, placement_id)
         LEFT JOIN clo USING (case_id, placement_id) LEFT JOIN amt USING (case_id, placement_id)
         LEFT JOIN paid_off po USING (case_id, placement_id)
), g AS (
    SELECT f.*,
           CASE WHEN status = 'recalled' THEN COALESCE(rec_on, cur_on) END AS recalled_on,
           CASE WHEN status = 'closed' THEN COALESCE(clo_on, paid_off_on, cur_on) END AS closed_on
    FROM f
)
UPDATE billing_cases c
SET status = g.status, recalled_on = g.recalled_on, closed_on = g.closed_on,
    current_placed_amount = g.amount,
    end_on = LEAST(COALESCE(g.recalled_on, g.recall_on), g.next_on - 1),
    updated_at = now()
FROM g
WHERE c.case_id = g.case_id AND c.placement_id = g.placement_id
  AND (c.status, c.recalled_on, c.closed_on, c.current_placed_amount, c.end_on)
      IS DISTINCT FROM (g.status, g.recalled_on, g.closed_on, g.amount,
                        LEAST(COALESCE(g.recalled_on, g.recall_on), g.next_on - 1))
"""


async def refresh_cases(conn: asyncpg.Connection, case_ids: Sequence[UUID]) -> None:
    if case_ids:
        await conn.execute(_REFRESH, list(set(case_ids)))


# --- payment.posted ---------------------------------------------------------------------------

_INSERT_REPAYMENTS = """
INSERT INTO billing_repayments (client_id, txn_ref, event_id, case_id, amount, paid_at, paid_on,
                                channel, closes_case)
SELECT u.client_id, u.txn_ref, u.event_id, u.case_id, u.amount, u.paid_at,
       (u.paid_at AT TIME ZONE $10)::date, u.channel, u.closes_case
FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::numeric[], $6::timestamptz[],
            $7::text[], $8::boolean[], $9::int[])
     AS u(client_id, txn_ref, event_id, case_id, amount, paid_at, channel, closes_case, n)
ORDER BY u.n
ON CONFLICT DO NOTHING
RETURNING case_id, closes_case
"""


async def insert_repayments(conn: asyncpg.Connection, cols: Columns, tz: str) -> list[asyncpg.Record]:
    """Idempotent on (client_id, txn_ref) (contract); returns the rows actually inserted."""
    return await conn.fetch(_INSERT_REPAYMENTS, *cols.args(
        "client_id", "txn_ref", "event_id", "case_id", "amount", "paid_at", "channel", "closes_case"),
        list(range(cols.rows)), tz)


# --- case.allocated ---------------------------------------------------------------------------

_INSERT_OWNERSHIP = """
INSERT INTO billing_ownership (event_id, case_id, client_id, collector_id, team_id, strategy, reason,
                               valid_from)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::timestamptz[])
ON CONFLICT (event_id) DO NOTHING
"""

# Intervals [valid_from, valid_to): each allocation ends where the case's next one starts.
_CLOSE_INTERVALS = """
UPDATE billing_ownership o SET valid_to = x.next_from
FROM (SELECT id, lead(valid_from) OVER (PARTITION BY case_id ORDER BY valid_from, id) AS next_from
      FROM billing_ownership WHERE case_id = ANY($1::uuid[])) x
WHERE o.id = x.id AND o.valid_to IS DISTINCT FROM x.next_from
"""

_UPSERT_COLLECTORS = """
INSERT INTO billing_collectors AS k (collector_id, team_id, seen_at)
SELECT DISTINCT ON (u.collector_id) u.collector_id, u.team_id, u.seen_at
FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(collector_id, team_id, seen_at)
ORDER BY u.collector_id, u.seen_at DESC
ON CONFLICT (collector_id) DO UPDATE SET team_id = EXCLUDED.team_id, seen_at = EXCLUDED.seen_at
WHERE k.seen_at < EXCLUDED.seen_at
"""


async def insert_ownership(conn: asyncpg.Connection, cols: Columns) -> None:
    await conn.execute(_INSERT_OWNERSHIP, *cols.args(
        "event_id", "case_id", "client_id", "collector_id", "team_id", "strategy", "reason",
        "valid_from"))
    await conn.execute(_CLOSE_INTERVALS, list(set(cols.data.get("case_id", []))))
    await conn.execute(_UPSERT_COLLECTORS, *cols.args("collector_id", "team_id", "valid_from"))


# --- contact.logged ---------------------------------------------------------------------------

_INSERT_CONTACTS = """
INSERT INTO billing_contacts (contact_id, event_id, case_id, client_id, collector_id, channel, party,
                              result, effective, status, ptp_amount, ptp_due_on, occurred_at, day,
                              record_kind, corrects, promise_id, outcome, outcome_instalment, outcome_on)
SELECT u.contact_id, u.event_id, u.case_id, u.client_id, u.collector_id, u.channel, u.party,
       u.result, u.effective, u.status, u.ptp_amount, u.ptp_due_on, u.occurred_at,
       (u.occurred_at AT TIME ZONE $13)::date, u.record_kind, u.corrects, u.promise_id, u.outcome,
       u.outcome_instalment, u.outcome_on
FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::boolean[], $10::text[], $11::numeric[], $12::date[], $14::timestamptz[],
            $15::text[], $16::text[], $17::text[], $18::text[], $19::int[], $20::date[])
     WITH ORDINALITY
     AS u(contact_id, event_id, case_id, client_id, collector_id, channel, party, result, effective,
          status, ptp_amount, ptp_due_on, occurred_at, record_kind, corrects, promise_id, outcome,
          outcome_instalment, outcome_on, n)
ORDER BY u.n
ON CONFLICT DO NOTHING
"""


async def insert_contacts(conn: asyncpg.Connection, cols: Columns, tz: str) -> None:
    """In arrival order (`seq`): of several corrections of one record, the last one wins."""
    a = cols.args("contact_id", "event_id", "case_id", "client_id", "collector_id", "channel", "party",
                  "result", "effective", "status", "ptp_amount", "ptp_due_on", "occurred_at",
                  "record_kind", "corrects", "promise_id", "outcome", "outcome_instalment", "outcome_on")
    await conn.execute(_INSERT_CONTACTS, *a[:12], tz, *a[12:])


# --- placement spells (an R-42 exclusion names one) ----------------------------------------------

async def find_spell(conn: asyncpg.Connection, case_id: UUID,
                     placement_id: str | None = None) -> asyncpg.Record | None:
    """The case's latest spell (or the named one)."""
    return await conn.fetchrow(
        """SELECT * FROM billing_cases WHERE case_id = $1 AND ($2::text IS NULL OR placement_id = $2)
           ORDER BY placed_on DESC, placement_id DESC LIMIT 1""", case_id, placement_id)
