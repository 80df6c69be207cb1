"""The read side, shaped for the API: lists (keyset pages), the frozen rows behind an issued
statement, and collector performance (R-43). The month close itself is store/close.py.

Collector performance, set-based:
- Recovered: the repayments the statements count (inside a placement spell, see store/close.py),
  with paid_on in the month, each attributed to the case's owner at ``paid_at`` — the ownership
  interval [valid_from, valid_to) from case.allocated that contains it. None → "unattributed".
- Contacts (contact.logged): calls = channel call or inbound_call; effective = effective contacts;
  PTPs made = contacts carrying a promise, by the day the contact was logged.
- PTP kept (R-23): the case's repayments from the day the promise was made up to its due date
  reach the promised amount. A PTP is *decided* once kept or once its due date has passed; the
  kept rate is kept ÷ decided (None while nothing is decided).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

# --- statements and exclusions (keyset pages: `after` is the previous page's last key) ---------


async def list_statements(conn: asyncpg.Connection, client_id: str, *, after: tuple[date, int] | None,
                          limit: int) -> list[asyncpg.Record]:
    """Every revision of the client's statements, newest month and revision first."""
    month, revision = after or (None, None)
    return await conn.fetch(
        """SELECT id, client_id, month, revision, status, schedule_version, total_placed,
                  total_recovered, total_fee, issued_at, issued_by, reason, superseded_at
           FROM billing_statements
           WHERE client_id = $1 AND ($2::date IS NULL OR (month, revision) < ($2::date, $3::int))
           ORDER BY month DESC, revision DESC LIMIT $4""", client_id, month, revision, limit)


async def statement_cases_page(conn: asyncpg.Connection, statement_id: int, position: int, *,
                               after: tuple[Any, str] | None,
                               limit: int) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
    """The spells frozen behind one line of an issued statement: (sums over the line, a page)."""
    sums = await conn.fetchrow(
        """SELECT count(*) AS total, count(*) FILTER (WHERE in_cohort) AS cases,
                  COALESCE(sum(placed), 0) AS placed,
                  COALESCE(sum(placed) FILTER (WHERE excluded), 0) AS excluded_placed,
                  COALESCE(sum(recovered_in_cycle), 0) AS recovered_in_cycle,
                  COALESCE(sum(recovered_in_month), 0) AS recovered
           FROM billing_statement_cases WHERE statement_id = $1 AND position = $2""",
        statement_id, position)
    case_id, placement_id = after or (None, None)
    rows = await conn.fetch(
        """SELECT * FROM billing_statement_cases WHERE statement_id = $1 AND position = $2
             AND ($4::uuid IS NULL OR (case_id, placement_id) > ($4::uuid, $5::text))
           ORDER BY case_id, placement_id LIMIT $3""", statement_id, position, limit, case_id, placement_id)
    return sums, rows


async def statement_not_counted(conn: asyncpg.Connection, statement_id: int, *,
                                after: tuple[date, str] | None,
                                limit: int) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """The repayments an issued statement did not count: (totals by reason, a page)."""
    by_reason = await conn.fetch(
        """SELECT reason, count(*) AS count, sum(amount) AS amount FROM billing_statement_not_counted
           WHERE statement_id = $1 GROUP BY reason ORDER BY reason""", statement_id)
    paid_on, txn_ref = after or (None, None)
    rows = await conn.fetch(
        """SELECT * FROM billing_statement_not_counted WHERE statement_id = $1
             AND ($3::date IS NULL OR (paid_on, txn_ref) > ($3::date, $4::text))
           ORDER BY paid_on, txn_ref LIMIT $2""", statement_id, limit, paid_on, txn_ref)
    return by_reason, rows


async def list_exclusions(conn: asyncpg.Connection, client_id: str | None, *, after: int | None,
                          limit: int) -> tuple[int, list[asyncpg.Record]]:
    """(how many match the filter on every page, one page of them in the order recorded)."""
    total = await conn.fetchval(
        "SELECT count(*) FROM billing_exclusions WHERE $1::text IS NULL OR client_id = $1", client_id)
    rows = await conn.fetch(
        """SELECT x.*, c.placed_on, c.placed_amount
           FROM billing_exclusions x
           JOIN billing_cases c ON c.case_id = x.case_id AND c.placement_id = x.placement_id
           WHERE ($1::text IS NULL OR x.client_id = $1) AND ($2::bigint IS NULL OR x.id > $2)
           ORDER BY x.id LIMIT $3""", client_id, after, limit)
    return total, rows


# --- collector performance (R-43) ---------------------------------------------------------------

_RECOVERED = """
SELECT o.collector_id, min(o.team_id) AS team_id, count(*) AS repayments, sum(r.amount) AS recovered,
       count(DISTINCT r.case_id) AS cases
FROM billing_repayments r
JOIN billing_cases c ON c.case_id = r.case_id AND c.client_id = r.client_id
     AND r.paid_on BETWEEN c.placed_on AND c.end_on
LEFT JOIN billing_ownership o ON o.case_id = r.case_id AND o.valid_from <= r.paid_at
     AND (o.valid_to IS NULL OR r.paid_at < o.valid_to)
WHERE r.paid_on >= $1 AND r.paid_on < $2
  AND ($3::text IS NULL OR r.client_id = $3)
  AND ($4::text IS NULL OR o.team_id = $4)
GROUP BY o.collector_id
"""
# The contact records in force of the days [$1, $2) (of client $3 when given): a promise outcome
# is no contact; a corrected record counts once, with its latest correction's values (the same
# moment, so the same day), for the original's author (else the correction's, when the original
# never reached billing). Then the team filter ($4) on that collector.
_IN_FORCE = """
f AS (
    SELECT DISTINCT ON (COALESCE(r.corrects, r.contact_id))
           COALESCE(o.collector_id, r.collector_id) AS collector_id, r.case_id, r.day, r.channel,
           r.effective, r.ptp_amount, r.ptp_due_on, r.promise_id
    FROM billing_contacts r LEFT JOIN billing_contacts o ON o.contact_id = r.corrects
    WHERE r.record_kind IS DISTINCT FROM 'promise_outcome'
      AND r.day >= $1 AND r.day < $2 AND ($3::text IS NULL OR r.client_id = $3)
    ORDER BY COALESCE(r.corrects, r.contact_id), r.corrects IS NULL, r.seq DESC
), k AS (
    SELECT f.*, t.team_id
    FROM f LEFT JOIN billing_collectors t ON t.collector_id = f.collector_id
    WHERE $4::text IS NULL OR t.team_id = $4
)"""

# PTPs made in the month, judged by contact's promise outcome (R-23: oldest first, grace days,
# tolerance) when the record names its promise; a record without promise_id (a producer that does
# not judge promises) is judged here: the case's repayments from the promise day to the due date.
_CONTACTS = f"""
WITH {_IN_FORCE[1:]}, ptp AS (
    SELECT k.collector_id, k.promise_id, k.ptp_amount, k.ptp_due_on, j.outcome,
           CASE WHEN k.promise_id IS NULL THEN
               COALESCE((SELECT sum(r.amount) FROM billing_repayments r
                         WHERE r.case_id = k.case_id AND r.paid_on BETWEEN k.day AND k.ptp_due_on), 0)
           END AS paid
    FROM k LEFT JOIN LATERAL (
        SELECT j.outcome FROM billing_contacts j
        WHERE k.promise_id IS NOT NULL AND j.promise_id = k.promise_id
          AND j.record_kind = 'promise_outcome' AND j.outcome_instalment IS NULL
        ORDER BY j.seq DESC LIMIT 1) j ON true
    WHERE k.ptp_amount IS NOT NULL AND k.ptp_due_on IS NOT NULL
), ptp_by AS (
    SELECT collector_id, count(*) AS ptps_made,
           count(*) FILTER (WHERE outcome = 'kept' OR paid >= ptp_amount) AS ptps_kept,
           count(*) FILTER (WHERE outcome IS NOT NULL
                                  OR (promise_id IS NULL AND (paid >= ptp_amount OR ptp_due_on < $5)))
               AS ptps_decided
    FROM ptp GROUP BY 1
), by_collector AS (
    SELECT k.collector_id, min(k.team_id) AS team_id, count(*) AS contacts,
           count(*) FILTER (WHERE k.channel IN ('call', 'inbound_call')) AS calls,
           count(*) FILTER (WHERE k.effective) AS effective_contacts,
           count(DISTINCT k.day) AS active_days
    FROM k GROUP BY 1
)
SELECT b.*, COALESCE(p.ptps_made, 0) AS ptps_made, COALESCE(p.ptps_kept, 0) AS ptps_kept,
       COALESCE(p.ptps_decided, 0) AS ptps_decided
FROM by_collector b LEFT JOIN ptp_by p USING (collector_id)
"""

_DAILY = f"""
WITH {_IN_FORCE[1:]}
SELECT k.collector_id, k.day, count(*) AS contacts,
       count(*) FILTER (WHERE k.channel IN ('call', 'inbound_call')) AS calls,
       count(*) FILTER (WHERE k.effective) AS effective_contacts,
       count(*) FILTER (WHERE k.ptp_amount IS NOT NULL) AS ptps_made
FROM k
GROUP BY 1, 2 ORDER BY 1, 2
"""


async def recovered(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                    team_id: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(_RECOVERED, start, end, client_id, team_id)


async def contacts(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                   team_id: str | None, today: date) -> list[asyncpg.Record]:
    return await conn.fetch(_CONTACTS, start, end, client_id, team_id, today)


async def daily(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                team_id: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(_DAILY, start, end, client_id, team_id)


async def teams(conn: asyncpg.Connection, collector_ids: list[str]) -> dict[str, str | None]:
    rows = await conn.fetch(
        "SELECT collector_id, team_id FROM billing_collectors WHERE collector_id = ANY($1::text[])",
        collector_ids)
    return {r["collector_id"]: r["team_id"] for r in rows}
